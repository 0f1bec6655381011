import NNGCore
import Glibc

/// What a legacy command line asks for, validated: the options as scanned,
/// and the protocol they settle on. Reads its options' fields directly
/// (`settings.interval`).
@dynamicMemberLookup
struct LegacySettings {
    typealias AddressMode = LegacyOptions.AddressMode

    let options: LegacyOptions
    /// The protocol once `--compat` has been applied.
    let socketProtocol: SocketProtocol

    subscript<Value>(dynamicMember field: KeyPath<LegacyOptions, Value>) -> Value { options[keyPath: field] }

    /// Scans and applies every option, then validates. Help and version end
    /// here, as in the C tool (help on stdout with status 1, version with 0).
    static func parse(_ words: [String]) throws(LegacyExit) -> LegacySettings {
        var options = LegacyOptions()
        var scanner = LegacyScanner(words)
        while let (spec, value) = try scanner.next() {
            try options.apply(spec.key, value ?? "")
        }
        let chosen = try options.validate()
        return LegacySettings(options: options, socketProtocol: chosen)
    }
}

/// The options of a legacy command line as they are scanned, built the way
/// the C nngcat's `main` builds its globals: each option acted on as it is
/// scanned (so the first fault in the line is the one reported), then the
/// cross-checks in its order.
struct LegacyOptions {
    enum AddressMode { case dial, listen }

    /// The `--pair` option before `--compat` decides between pair0 and pair1.
    enum ProtocolChoice: Equatable { case exact(SocketProtocol), pair }

    var protocolChoice: ProtocolChoice?
    var addresses: [(mode: AddressMode, url: String)] = []
    var topics: [String] = []
    /// nil: the C tool's format 0, which prints nothing.
    var format: OutputFormat?
    var verbose = false
    /// Whole seconds, as milliseconds; nil when not given (C's -1).
    var delay = 0
    var interval: Int?
    var sendTimeout: Int?
    var receiveTimeout: Int?
    var count = 0
    var receiveMaxSize: Int?
    var compat = false
    var async = false
    var data: [UInt8]?
    var insecure = false
    var caFile: String?
    var certificateFile: String?
    var keyFile: String?

    mutating func apply(_ key: OptionKey, _ value: String) throws(LegacyExit) {
        switch key {
        case .help:
            Diagnostics.print(LegacyHelp.text)
            throw .quiet(.failure)
        case .version:
            Diagnostics.print(NNGLibrary.version + "\n")
            throw .quiet(.success)
        case .setProtocol(let choice):
            if protocolChoice != nil { throw .failure("Only one protocol may be specified.") }
            protocolChoice = choice.map { .exact($0) } ?? .pair
        case .dial: addresses.append((.dial, value))
        case .listen: addresses.append((.listen, value))
        case .legacyDialLocal, .legacyListenLocal:
            let port = try LegacySettings.integer(value, max: 65536)
            addresses.append((key == .legacyDialLocal ? .dial : .listen, "tcp://127.0.0.1:\(port)"))
        case .legacyDialIPC, .legacyListenIPC:
            addresses.append((key == .legacyDialIPC ? .dial : .listen, "ipc:///" + value))
        case .count: count = try LegacySettings.integer(value, max: 0x7fff_ffff)
        case .subscribe: topics.append(value)
        case .verbose: verbose = true
        case .quiet: verbose = false
        case .delay: delay = try LegacySettings.integer(value, max: 86400) * 1000
        case .interval: interval = try LegacySettings.integer(value, max: 86400) * 1000
        case .sendTimeout: sendTimeout = try LegacySettings.integer(value, max: 86400) * 1000
        case .recvTimeout: receiveTimeout = try LegacySettings.integer(value, max: 86400) * 1000
        case .recvMaxSize:
            let size = try LegacySettings.integer(value, max: 0x7fff_ffff)
            receiveMaxSize = size == 0 ? 0x7fff_ffff : size
        case .compat: compat = true
        case .async: async = true
        case .setFormat(let chosen):
            if format != nil { throw .failure("Format may be specified only once.") }
            format = chosen
        case .format:
            if format != nil { throw .failure("Format may be specified only once.") }
            switch value {
            case "no": format = OutputFormat.no
            case "ascii", "hex", "quoted", "raw", "msgpack": format = OutputFormat(rawValue: value)
            default: throw .failure("Invalid format specified.")
            }
        case .file:
            if data != nil { throw .failure("Data (--file, --data) may be specified only once.") }
            data = try LegacySettings.load(value)
        case .data:
            if data != nil { throw .failure("Data (--file, --data) may be specified only once.") }
            data = Array(value.utf8)
        case .cacert:
            if caFile != nil { throw .failure("CA Certificate (--cacert) may be specified only once.") }
            _ = try LegacySettings.load(value)
            caFile = value
        case .key:
            if keyFile != nil { throw .failure("Key (--key) may be specified only once.") }
            _ = try LegacySettings.load(value)
            keyFile = value
        case .cert:
            if certificateFile != nil { throw .failure("Cert (--cert) may be specified only once.") }
            _ = try LegacySettings.load(value)
            certificateFile = value
        case .insecure: insecure = true
        default: break  // --socket-name and --zt-home are accepted and ignored, as by the C tool here.
        }
    }

    /// The C tool's checks after scanning, in its order and with its texts;
    /// returns the protocol they settle on.
    mutating func validate() throws(LegacyExit) -> SocketProtocol {
        if addresses.isEmpty { throw .failure("No address specified.") }
        var choice = protocolChoice
        if compat {
            if async { throw .failure("Options --async and --compat are incompatible.") }
            if count != 0 { throw .failure("Options --count and --compat are incompatible.") }
            if choice == .pair { choice = .exact(.pair0) }
            if choice == .exact(.pair1) { throw .failure("Protocol does not support --compat.") }
            async = true
        } else if choice == .pair {
            choice = .exact(.pair1)
        }
        guard case .exact(let chosen) = choice else { throw .failure("No protocol specified.") }
        if chosen == .sub0 {
            if topics.isEmpty { topics = [""] }
        } else if !topics.isEmpty {
            throw .failure("Protocol does not support --subscribe.")
        }
        switch chosen {
        case .pull0, .sub0:
            if data != nil { throw .failure("Protocol does not support --file or --data.") }
            if interval != nil { throw .failure("Protocol does not support --interval.") }
        case .push0, .pub0:
            if format != nil { throw .failure("Protocol does not support --format options.") }
            if data == nil { throw .failure("Protocol requires either --file or --data.") }
        case .surveyor0, .req0:
            if data == nil { throw .failure("Protocol requires either --file or --data.") }
        case .rep0, .respondent0:
            if interval != nil { throw .failure("Protocol does not support --interval.") }
        case .pair0, .pair1, .bus0:
            if interval != nil && data == nil { throw .failure("Option --interval requires either --file or --data.") }
        }
        return chosen
    }
}

extension LegacySettings {
    /// The C tool's `intarg`: decimal digits only, at most `max`, computed in
    /// a 32-bit int that may wrap (so 4294967296 is 0, 2147483648 overflows).
    static func integer(_ text: String, max: Int32) throws(LegacyExit) -> Int {
        if text.isEmpty { throw .failure("Empty integer argument.") }
        var value: Int32 = 0
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { throw .failure("Integer argument expected.") }
            value = value &* 10 &+ Int32(byte - UInt8(ascii: "0"))
            if value > max { throw .failure("Integer argument too large.") }
        }
        if value < 0 { throw .failure("Integer argument overflow.") }
        return Int(value)
    }

    /// The whole of a file, or of stdin for `-`, with the C tool's error texts.
    static func load(_ path: String) throws(LegacyExit) -> [UInt8] {
        do { return try WholeFile.read(path) } catch {
            switch error {
            case .cannotOpen: throw .failure("Cannot open file \(path): \(error.reason)")
            case .cannotRead: throw .failure("Read from \(path) failed: \(error.reason)")
            // The C tool's read(2) fails on a directory: keep its words.
            case .isDirectory: throw .failure("Read from \(path) failed: \(String(cString: strerror(EISDIR)))")
            }
        }
    }
}
