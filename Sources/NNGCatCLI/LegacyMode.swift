/// The C nngcat 1.x syntax. (Being written: see issue 4.)
enum LegacyMode {
    static func run(_ words: [String]) -> ExitStatus {
        Diagnostics.error("the C nngcat syntax is not available in this build yet")
        return .usage
    }
}
