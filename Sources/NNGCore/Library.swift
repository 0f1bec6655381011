internal import CNNG

/// Facts about the libnng this process runs against.
public enum NNGLibrary {
    /// The version of the libnng loaded at run time, e.g. `1.5.2`.
    /// The corresponding C function is `nng_version`.
    public static var version: String { String(cString: nng_version()) }

    /// The version of the `nng.h` this module was compiled against: the same
    /// as `version` unless the libnng found at run time is another release.
    public static var headerVersion: String { "\(NNG_MAJOR_VERSION).\(NNG_MINOR_VERSION).\(NNG_PATCH_VERSION)" }

    /// Releases libnng's global resources; only for leak checkers at exit.
    /// The corresponding C function is `nng_fini`.
    public static func finish() { nng_fini() }
}
