// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "nngcat",
    products: [
        .executable(name: "nngcat", targets: ["nngcat"]),
        .library(name: "NNGCore", targets: ["NNGCore"]),
    ],
    targets: [
        // libnng ships no pkg-config file on Debian: the module map links it by name.
        .systemLibrary(name: "CNNG", path: "Sources/CNNG"),
        // Loads readline with dlopen, for the REPL only (see its header).
        .target(name: "CReadline"),
        .target(name: "NNGCore", dependencies: ["CNNG"]),
        .target(name: "NNGCatCLI", dependencies: ["NNGCore", "CReadline"]),
        .executableTarget(name: "nngcat", dependencies: ["NNGCatCLI"]),
        .testTarget(name: "NNGCoreTests", dependencies: ["NNGCore"]),
        .testTarget(name: "NNGCatCLITests", dependencies: ["NNGCatCLI", "NNGCore"]),
    ],
    swiftLanguageModes: [.v6]
)
