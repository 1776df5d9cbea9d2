#!/usr/bin/env python
from khcn.cli import main

if __name__ == "__main__":
    main()
