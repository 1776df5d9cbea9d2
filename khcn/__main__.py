from khcn.cli import main

main()
