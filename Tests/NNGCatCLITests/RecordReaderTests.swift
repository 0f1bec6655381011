import Glibc
import Synchronization
import Testing
@testable import NNGCatCLI

/// RecordReader fed through a temporary file (reads as large as asked) and
/// through a pipe written in chunks by another thread (short reads that
/// split records anywhere).
@Suite("record reader")
struct RecordReaderTests {
    enum Feed: CustomTestStringConvertible, Sendable {
        case file
        case pipe(chunk: Int)
        var testDescription: String {
            switch self {
            case .file: "file"
            case .pipe(let chunk): "pipe, \(chunk)-byte writes"
            }
        }
    }

    static let defaultBufferSize = 256 * 1024

    /// A descriptor that yields `input`, and a way to release it afterwards.
    static func source(_ input: [UInt8], _ feed: Feed) throws -> (descriptor: Int32, finish: () -> Void) {
        switch feed {
        case .file:
            var template = Array("/tmp/nngcat-unit-records-XXXXXX".utf8CString)
            let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            try #require(descriptor >= 0)
            unlink(String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            try #require(input.withUnsafeBytes { writeAll(descriptor, $0) })
            lseek(descriptor, 0, SEEK_SET)
            return (descriptor, { close(descriptor) })
        case .pipe(let chunk):
            var ends: [Int32] = [0, 0]
            try #require(pipe(&ends) == 0)
            let writeEnd = ends[1]
            let writer = JoinableThread {
                input.withUnsafeBytes { all in
                    var offset = 0
                    while offset < all.count {
                        let count = min(chunk, all.count - offset)
                        _ = writeAll(writeEnd, UnsafeRawBufferPointer(rebasing: all[offset..<offset + count]))
                        offset += count
                    }
                }
                close(writeEnd)
            }
            return (ends[0], { writer.join(); close(ends[0]) })
        }
    }

    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }

    /// The records `input` splits into, and the reader's record count at the end.
    static func records(_ input: [UInt8], terminator: UInt8 = 0x0a, bufferSize: Int = defaultBufferSize,
                        feed: Feed = .file) throws -> (records: [[UInt8]], count: Int) {
        let (descriptor, finish) = try source(input, feed)
        defer { finish() }
        let reader = RecordReader(descriptor: descriptor, terminator: terminator, bufferSize: bufferSize)
        var found: [[UInt8]] = []
        let error = reader.forEachRecord { found.append(Array($0)) }
        #expect(error == 0)
        return (found, reader.recordNumber)
    }

    /// The records, each followed by a newline.
    static func joined(_ records: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        for record in records { out += record + [0x0a] }
        return out
    }

    static let feeds: [Feed] = [.file, .pipe(chunk: 1), .pipe(chunk: 3), .pipe(chunk: 4096)]

    @Test("newline-separated records, empty ones included; a final terminator ends the last record", arguments: feeds)
    func lines(feed: Feed) throws {
        let result = try Self.records(bytes("one\n\ntwo\n\n\nthree\n"), bufferSize: 8, feed: feed)
        #expect(result.records == [bytes("one"), [], bytes("two"), [], [], bytes("three")])
        #expect(result.count == 6)
    }

    @Test("a last record without its terminator still counts", arguments: feeds)
    func unterminatedLast(feed: Feed) throws {
        #expect(try Self.records(bytes("a\nbc"), feed: feed).records == [bytes("a"), bytes("bc")])
        #expect(try Self.records(bytes("only"), feed: feed).records == [bytes("only")])
    }

    @Test("inputs with nothing, or only terminators", arguments: [
        ("", 0), ("\n", 1), ("\n\n", 2),
    ])
    func degenerate(input: String, expected: Int) throws {
        let result = try Self.records(bytes(input))
        #expect(result.records == [[UInt8]](repeating: [], count: expected))
        #expect(result.count == expected)
    }

    @Test("NUL-separated records keep their newlines", arguments: feeds)
    func nulSeparated(feed: Feed) throws {
        let input = bytes("a\nb") + [0] + [0] + bytes("c\r\n") + [0] + bytes("tail\n")
        let result = try Self.records(input, terminator: 0, bufferSize: 4, feed: feed)
        #expect(result.records == [bytes("a\nb"), [], bytes("c\r\n"), bytes("tail\n")])
    }

    /// Every record length from 0 to past twice the buffer, in one input, so
    /// that terminators fall on every offset of the buffer, at its start and end.
    @Test("records of every length across buffer boundaries", arguments: [1, 2, 3, 7, 16], feeds)
    func everyBoundary(bufferSize: Int, feed: Feed) throws {
        let expected: [[UInt8]] = (0...(2 * bufferSize + 3)).flatMap { length in
            let record: [UInt8] = (0..<length).map { UInt8(65 + ($0 + length) % 26) }
            return [record, record]
        }
        let input = Self.joined(expected)
        #expect(try Self.records(input, bufferSize: bufferSize, feed: feed).records == expected)
    }

    @Test("records around the default buffer size (256 KiB)", arguments: [
        defaultBufferSize - 2, defaultBufferSize - 1, defaultBufferSize, defaultBufferSize + 1,
    ], [Feed.file, .pipe(chunk: 65536), .pipe(chunk: 10_000)])
    func aroundDefaultBuffer(length: Int, feed: Feed) throws {
        let long = (0..<length).map { UInt8(32 + $0 % 95) }   // printable: no newline inside
        let expected: [[UInt8]] = [bytes("x"), long, [], long, bytes("end")]
        let input = Self.joined(expected).dropLast()
        let result = try Self.records(Array(input), feed: feed)
        #expect(result.records.map(\.count) == expected.map(\.count))
        #expect(result.records == expected)
    }

    @Test("a record many times longer than the buffer is delivered whole", arguments: [Feed.file, .pipe(chunk: 65536)])
    func veryLong(feed: Feed) throws {
        let long = (0..<(3 << 20) + 17).map { UInt8(truncatingIfNeeded: $0 &* 31 | 1) }
        let result = try Self.records(bytes("a\n") + long + bytes("\nb"), bufferSize: 4096, feed: feed)
        #expect(result.records.map(\.count) == [1, long.count, 1])
        #expect(result.records.count == 3 && result.records[1] == long)
    }

    @Test("whole-input mode returns everything, terminators included", arguments: [Feed.file, .pipe(chunk: 1000)])
    func whole(feed: Feed) throws {
        for input in [[], bytes("a\nb\n"), (0..<1_500_000).map { UInt8(truncatingIfNeeded: $0 % 253) }] {
            let (descriptor, finish) = try Self.source(input, feed)
            defer { finish() }
            let (read, error) = RecordReader(descriptor: descriptor, bufferSize: 1 << 16).readAll()
            #expect(error == 0)
            #expect(read == input)
        }
    }

    @Test("a record is handed over as soon as its terminator arrives, not when the buffer fills")
    func streaming() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        let writeEnd = ends[1]
        let flags = StreamingFlags()
        let writer = JoinableThread {
            _ = bytes("first\n").withUnsafeBytes { Self.writeAll(writeEnd, $0) }
            // Bounded: if the reader waits for more input, give up after 5 s and let it finish.
            for _ in 0..<500 where !flags.firstSeen.load(ordering: .acquiring) { usleep(10_000) }
            flags.seenBeforeMore.store(flags.firstSeen.load(ordering: .acquiring), ordering: .releasing)
            _ = bytes("second\n").withUnsafeBytes { Self.writeAll(writeEnd, $0) }
            close(writeEnd)
        }
        defer { close(ends[0]) }
        let reader = RecordReader(descriptor: ends[0])
        var found: [String] = []
        let error = reader.forEachRecord { record in
            found.append(String(decoding: record, as: UTF8.self))
            if found == ["first"] { flags.firstSeen.store(true, ordering: .releasing) }
        }
        writer.join()
        #expect(error == 0)
        #expect(found == ["first", "second"])
        let streamed = flags.seenBeforeMore.load(ordering: .acquiring)
        #expect(streamed, "the first line waited for the second")
    }

    final class StreamingFlags: Sendable {
        let firstSeen = Atomic<Bool>(false)
        let seenBeforeMore = Atomic<Bool>(false)
    }

    @Test("with an interrupt descriptor, records still stream until end of input", arguments: [Feed.file, .pipe(chunk: 3)])
    func interruptibleReads(feed: Feed) throws {
        var interrupt: [Int32] = [0, 0]
        try #require(pipe(&interrupt) == 0)
        defer { close(interrupt[0]); close(interrupt[1]) }
        let (descriptor, finish) = try Self.source(bytes("a\n\nbc"), feed)
        defer { finish() }
        let reader = RecordReader(descriptor: descriptor, bufferSize: 2, interruptedBy: interrupt[0])
        var found: [[UInt8]] = []
        #expect(reader.forEachRecord { found.append(Array($0)) } == 0)
        #expect(found == [bytes("a"), [], bytes("bc")])
    }

    @Test("a read waiting on idle input gives up with EINTR when the interrupt descriptor turns readable")
    func interrupted() throws {
        var input: [Int32] = [0, 0], interrupt: [Int32] = [0, 0]
        try #require(pipe(&input) == 0 && pipe(&interrupt) == 0)
        defer { close(input[0]); close(interrupt[0]); close(interrupt[1]) }
        let inputWriteEnd = input[1], interruptWriteEnd = interrupt[1]
        let flags = StreamingFlags()
        let helper = JoinableThread {
            _ = bytes("first\n").withUnsafeBytes { Self.writeAll(inputWriteEnd, $0) }
            for _ in 0..<500 where !flags.firstSeen.load(ordering: .acquiring) { usleep(10_000) }
            // The input stays open and idle: only the interrupt can end the read.
            _ = [UInt8(1)].withUnsafeBytes { Self.writeAll(interruptWriteEnd, $0) }
            // Bounded: if the interrupt is not noticed, end of input ends the read after 5 s.
            for _ in 0..<500 where !flags.seenBeforeMore.load(ordering: .acquiring) { usleep(10_000) }
            close(inputWriteEnd)
        }
        let reader = RecordReader(descriptor: input[0], interruptedBy: interrupt[0])
        var found: [String] = []
        let error = reader.forEachRecord { record in
            found.append(String(decoding: record, as: UTF8.self))
            flags.firstSeen.store(true, ordering: .releasing)
        }
        flags.seenBeforeMore.store(true, ordering: .releasing)
        helper.join()
        #expect(error == EINTR)
        #expect(found == ["first"])
    }

    struct Stop: Error {}

    @Test("an error thrown by the body stops the reading; recordNumber names the record")
    func bodyThrows() throws {
        let (descriptor, finish) = try Self.source(bytes("a\nb\nc\nd\n"), .file)
        defer { finish() }
        let reader = RecordReader(descriptor: descriptor)
        var seen: [[UInt8]] = []
        #expect(throws: Stop.self) {
            _ = try reader.forEachRecord { (record) throws(Stop) in
                seen.append(Array(record))
                if record.first == UInt8(ascii: "c") { throw Stop() }
            }
        }
        #expect(seen == [bytes("a"), bytes("b"), bytes("c")])
        #expect(reader.recordNumber == 3)
    }

    @Test("a read error is returned as errno")
    func readError() throws {
        let directory = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        try #require(directory >= 0)
        defer { close(directory) }
        #expect(RecordReader(descriptor: directory).forEachRecord { _ in } == EISDIR)
        #expect(RecordReader(descriptor: directory).readAll().error == EISDIR)
        #expect(RecordReader(descriptor: -1).forEachRecord { _ in } == EBADF)
    }
}
