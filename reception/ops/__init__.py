"""Operating the product: the command line, the demo, reference data, migrations, backup."""
