import NNGCore

public enum NNGCat {
    public static func main(_ arguments: [String]) -> Int32 {
        print("nngcat 0.1.0 (NNG \(NNGLibrary.version))")
        return 0
    }
}
