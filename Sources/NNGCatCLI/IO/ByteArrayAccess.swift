extension Array where Element == UInt8 {
    /// `withUnsafeBytes` that keeps the closure's typed error: the standard
    /// one rethrows `any Error`, which would lose `CLIError`/`NNGError`.
    func withBytes<Value, Failure: Error>(_ body: (UnsafeRawBufferPointer) throws(Failure) -> Value) throws(Failure) -> Value {
        let outcome = withUnsafeBytes { bytes in Result { () throws(Failure) in try body(bytes) } }
        return try outcome.get()
    }
}
