#!/usr/bin/env python
from lianbang.cli import main

if __name__ == "__main__":
    main()
