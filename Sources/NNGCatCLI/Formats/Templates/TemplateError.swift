/// Why a template did not compile: the token or escape and its position
/// (1-based, in characters), e.g. `unknown template token '{{sq}}' at character 3`.
struct TemplateError: Error, Equatable, CustomStringConvertible {
    let message: String
    let position: Int
    init(_ message: String, position: Int) {
        self.message = message
        self.position = position
    }
    var description: String { message }
}
