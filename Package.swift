// swift-tools-version:6.0
import PackageDescription

// Release builds are what people install and what bench/run measures; these
// flags cut the start-up time of `nngcat --version` by about a third (page
// faults and dynamic symbol binding dominate it):
// - lld with packed relative relocations (DT_RELR, glibc 2.36+): the
//   relocation table shrinks from ~600 KB to ~5 KB;
// - libstdc++, which the static Swift runtime needs, linked statically too
//   (see linker/static-libstdc++/libstdc++.so).
let fastStartLinking: [LinkerSetting] = [
    .unsafeFlags([
        "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
        "-L", Context.packageDirectory + "/linker/static-libstdc++",
    ], .when(platforms: [.linux], configuration: .release)),
]

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
        .executableTarget(name: "nngcat", dependencies: ["NNGCatCLI"], linkerSettings: fastStartLinking),
        .testTarget(name: "NNGCoreTests", dependencies: ["NNGCore"]),
        .testTarget(name: "NNGCatCLITests", dependencies: ["NNGCatCLI", "NNGCore"]),
    ],
    swiftLanguageModes: [.v6]
)
