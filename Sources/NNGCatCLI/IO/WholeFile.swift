import Glibc

/// Reads a whole file (or stdin, as `-`) into memory, for `send --file`,
/// the legacy `--file` and the REPL's `.file`. Each caller words its own errors.
enum WholeFile {
    enum Failure: Error {
        /// open(2) failed, with its errno.
        case cannotOpen(Int32)
        case isDirectory
        /// read(2) failed, with its errno.
        case cannotRead(Int32)

        /// strerror's text, or "it is a directory".
        var reason: String {
            switch self {
            case .cannotOpen(let code), .cannotRead(let code): String(cString: strerror(code))
            case .isDirectory: "it is a directory"
            }
        }
    }

    static func read(_ path: String) throws(Failure) -> [UInt8] {
        let descriptor = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { throw .cannotOpen(errno) }
        defer { if descriptor != 0 { close(descriptor) } }
        var status = stat()
        let known = fstat(descriptor, &status) == 0
        if known && (status.st_mode & S_IFMT) == S_IFDIR { throw .isDirectory }
        // A regular file is read straight into a buffer of its size: a 64 MiB
        // message is then copied once, not regrown and copied a dozen times.
        // A size of 0 goes the general way: /proc files report 0 yet have content.
        if known, (status.st_mode & S_IFMT) == S_IFREG, status.st_size > 0 {
            let size = Int(status.st_size)
            var failure: Int32 = 0
            let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
                while initialized < size {
                    let count = Glibc.read(descriptor, buffer.baseAddress! + initialized, size - initialized)
                    if count > 0 { initialized += count; continue }
                    if count < 0 && errno == EINTR { continue }
                    if count < 0 { failure = errno }
                    break
                }
            }
            if failure != 0 { throw .cannotRead(failure) }
            return bytes
        }
        let (bytes, error) = RecordReader(descriptor: descriptor, bufferSize: 1 << 20).readAll()
        if error != 0 { throw .cannotRead(error) }
        return bytes
    }
}
