from lianbang.cli import main

main()
