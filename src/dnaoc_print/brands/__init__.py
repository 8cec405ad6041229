"""Brands: ``brand.yaml`` and ``_brand.yml`` read, checked and completed.

Owns a brand's colours and their contrast, its fonts and logo, and the tools that
write brands (``new brand``, ``brand export``).

May import: content and the top-level modules.
"""
