/// `nngcat repl`. (Being written: see issue 5.)
enum ReplMode {
    static func run(_ parsed: ParsedArguments) -> ExitStatus {
        Diagnostics.error("repl is not available in this build yet")
        return .usage
    }
}
