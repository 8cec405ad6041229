from dnaoc_print.cli.main import main

main(prog_name="dnaoc-print")
