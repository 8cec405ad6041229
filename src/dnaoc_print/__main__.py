from dnaoc_print.cli import main

main(prog_name="dnaoc-print")
