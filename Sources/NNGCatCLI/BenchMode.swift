/// `nngcat bench`. (Being written: see issue 8.)
enum BenchMode {
    static func run(_ parsed: ParsedArguments) -> ExitStatus {
        Diagnostics.error("bench is not available in this build yet")
        return .usage
    }
}
