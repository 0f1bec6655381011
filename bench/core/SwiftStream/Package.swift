// swift-tools-version:6.0
import PackageDescription

// The Swift half of bench/core-stream.sh: NNGCore's MessageSender and
// MessageReceiver moving 16-byte messages push -> pull in one process.
// It depends on the root package by path, so it measures the working tree.
let package = Package(
    name: "SwiftStream",
    dependencies: [
        // Named, so the reference does not depend on the checkout folder's name.
        .package(name: "nngcat", path: "../../.."),
    ],
    targets: [
        .executableTarget(
            name: "swift-stream",
            dependencies: [.product(name: "NNGCore", package: "nngcat")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
