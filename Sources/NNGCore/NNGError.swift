internal import CNNG

/// An error reported by libnng: its numeric code, plus where it happened.
///
/// Codes compare by value, so a `catch` can match on them:
/// `catch let error as NNGError where error.code == .timedOut`, or simply
/// `catch NNGError.Code.timedOut` thanks to the `~=` overload below.
public struct NNGError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A libnng error number (`NNG_E*`), with Swift names for the ones callers branch on.
    public struct Code: RawRepresentable, Hashable, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let timedOut = Code(rawValue: CNNG_ETIMEDOUT)
        public static let canceled = Code(rawValue: CNNG_ECANCELED)
        public static let closed = Code(rawValue: CNNG_ECLOSED)
        public static let tryAgain = Code(rawValue: CNNG_EAGAIN)
        public static let connectionRefused = Code(rawValue: CNNG_ECONNREFUSED)
        public static let addressInUse = Code(rawValue: CNNG_EADDRINUSE)
        public static let invalidAddress = Code(rawValue: CNNG_EADDRINVAL)
        public static let invalidArgument = Code(rawValue: CNNG_EINVAL)
        public static let notSupported = Code(rawValue: CNNG_ENOTSUP)
        public static let incorrectState = Code(rawValue: CNNG_ESTATE)
        public static let notFound = Code(rawValue: CNNG_ENOENT)
        public static let messageTooLarge = Code(rawValue: CNNG_EMSGSIZE)
        public static let connectionReset = Code(rawValue: CNNG_ECONNRESET)
        public static let connectionShutdown = Code(rawValue: CNNG_ECONNSHUT)
        public static let connectionAborted = Code(rawValue: CNNG_ECONNABORTED)
        public static let peerAuthenticationFailed = Code(rawValue: CNNG_EPEERAUTH)
        public static let cryptographicError = Code(rawValue: CNNG_ECRYPTO)
        public static let outOfMemory = Code(rawValue: CNNG_ENOMEM)
        public static let wrongType = Code(rawValue: CNNG_EBADTYPE)
        public static let readOnly = Code(rawValue: CNNG_EREADONLY)
        public static let writeOnly = Code(rawValue: CNNG_EWRITEONLY)
        public static let protocolError = Code(rawValue: CNNG_EPROTO)
        public static let unreachable = Code(rawValue: CNNG_EUNREACHABLE)
        public static let permissionDenied = Code(rawValue: CNNG_EPERM)

        /// Whether a failed dial means only that nobody is there yet (refused,
        /// unreachable, timed out, an ipc path not yet made, a connection that
        /// dropped during the handshake): worth retrying. A bad address, an
        /// unknown host, a TLS or protocol failure are mistakes that a retry
        /// would only hide.
        public var meansNobodyIsThereYet: Bool {
            switch self {
            case .connectionRefused, .unreachable, .timedOut, .notFound,
                 .connectionReset, .connectionAborted, .connectionShutdown: true
            default: false
            }
        }

        /// libnng's own text for the code. The corresponding C function is `nng_strerror`.
        public var text: String { String(cString: nng_strerror(rawValue)) }
    }

    public var code: Code
    /// What was being done, e.g. `dial` or `receive`.
    public var operation: String?
    /// The endpoint involved, when there is one.
    public var url: String?
    /// For a dial or listen: true when the endpoint could not even be created
    /// (`nng_dialer_create`/`nng_listener_create` failed: a bad URL or address),
    /// false when it was created but failed to start or configure.
    public var duringEndpointCreation = false

    public init(_ code: Code, operation: String? = nil, url: String? = nil) {
        self.code = code
        self.operation = operation
        self.url = url
    }

    /// `dial tcp://127.0.0.1:5555: Connection refused`, or just the text when there is no context.
    public var description: String {
        var prefix = ""
        if let operation { prefix += operation + " " }
        if let url { prefix += url + " " }
        if prefix.isEmpty { return code.text }
        prefix.removeLast()
        return prefix + ": " + code.text
    }
}

extension NNGError.Code {
    /// Lets `catch NNGError.Code.timedOut` match an `NNGError` with that code.
    public static func ~= (code: NNGError.Code, error: any Error) -> Bool {
        (error as? NNGError)?.code == code
    }
}

/// The single funnel through which every fallible libnng call passes: a
/// non-zero result becomes a thrown `NNGError` naming the operation.
@inline(__always)
func check(_ result: Int32, _ operation: @autoclosure () -> String, url: String? = nil) throws(NNGError) {
    if result != 0 {
        throw NNGError(NNGError.Code(rawValue: result), operation: operation(), url: url)
    }
}
