import Glibc
import Testing
@testable import NNGCatCLI

// Helpers shared by the NNGCatCLI unit tests: bytes from text, running a
// decoder or encoder on an array, and reading the committed documents.

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// What `format` prints for `body`, with the subcommands' defaults.
func render(_ body: [UInt8], as format: OutputFormat, legacy: Bool = false, metadata: MessageMetadata? = nil) -> [UInt8] {
    var out = OutputBuffer()
    body.withUnsafeBytes { MessageEncoder.encode($0, as: format, into: &out, legacy: legacy, metadata: metadata) }
    return out.bytes
}

func decode(_ record: [UInt8], as format: InputFormat) throws(DecodeError) -> [UInt8] {
    // withUnsafeBytes does not carry a typed throw: Result does.
    try record.withUnsafeBytes { raw in Result { () throws(DecodeError) in try format.decode(raw) } }.get()
}

/// The message of the `DecodeError` that decoding throws, or nil if it succeeds.
func decodeFailure(_ record: [UInt8], as format: InputFormat) -> String? {
    do {
        _ = try decode(record, as: format)
        return nil
    } catch {
        return error.message
    }
}

/// The repository's root, found from this file's path (Tests/NNGCatCLITests/Support.swift).
let repositoryRoot: String = {
    var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

/// A committed file of the repository as text; records an issue and returns
/// "" when it cannot be read.
func committedFile(_ relativePath: String) -> String {
    let path = repositoryRoot + "/" + relativePath
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
        Issue.record("cannot open \(path): \(String(cString: strerror(errno)))")
        return ""
    }
    defer { close(descriptor) }
    let (contents, error) = RecordReader(descriptor: descriptor).readAll()
    if error != 0 { Issue.record("cannot read \(path): \(String(cString: strerror(error)))") }
    return String(decoding: contents, as: UTF8.self)
}
