import NNGCatCLI
import Glibc

exit(NNGCat.main(CommandLine.arguments))
