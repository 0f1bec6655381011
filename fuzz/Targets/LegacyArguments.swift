// The C nngcat syntax: LegacyScanner option by option, then LegacySettings
// (every value, every cross-check in the C tool's order). Input: argv split
// at NULs. Lines that would read a file or stdin (--file, --cacert, --key,
// --cert) or print (--help, --version) are only scanned, not applied.

@_cdecl("nngcat_fuzz_LegacyArguments")
func fuzzLegacyArguments(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let words = fuzzWords(fuzzInput(data, size))
    var scanner = LegacyScanner(words)
    var sideEffects = false
    do throws(LegacyExit) {
        while let (spec, _) = try scanner.next() {
            switch spec.key {
            case .file, .cacert, .key, .cert, .help, .version: sideEffects = true
            default: break
            }
        }
    } catch {
        precondition(error.message?.isEmpty == false, "a legacy refusal without a message")
        return 0
    }
    if !sideEffects {
        do throws(LegacyExit) {
            let settings = try LegacySettings.parse(words)
            precondition(settings.socketProtocol != nil && !settings.addresses.isEmpty)
        } catch {
            precondition(error.message?.isEmpty == false, "a legacy refusal without a message")
        }
    }
    return 0
}
