import Glibc
import Testing
@testable import NNGCatCLI

/// Rendering compiled templates: each token's bytes, the shared encoders, bounds.
@Suite("template renderer")
struct TemplateRendererTests {
    static func render(_ text: String, _ use: TemplateUse = .payload, sequence: Int = 1, body: [UInt8] = [],
                       peer: String? = nil, subscriptions: [[UInt8]] = [], renderer: inout TemplateRenderer) throws -> [UInt8] {
        let template = try TemplateCompiler.compile(text, for: use)
        var out = OutputBuffer()
        body.withUnsafeBytes { raw in
            renderer.render(template, .init(sequence: sequence, body: raw, peer: peer, subscriptions: subscriptions), into: &out)
        }
        return out.bytes
    }

    static func render(_ text: String, _ use: TemplateUse = .payload, sequence: Int = 1, body: [UInt8] = [],
                       peer: String? = nil, subscriptions: [[UInt8]] = []) throws -> String {
        var renderer = TemplateRenderer()
        return String(decoding: try render(text, use, sequence: sequence, body: body, peer: peer, subscriptions: subscriptions,
                                           renderer: &renderer), as: UTF8.self)
    }

    @Test("seq, literals and the output tokens over a binary body")
    func outputTokens() throws {
        let body: [UInt8] = [0x61, 0x22, 0x0a, 0xff, 0x00]
        #expect(try Self.render("{{seq}}:{{size}}", .output, sequence: 42, body: body) == "42:5")
        #expect(try Self.render("{{quoted}}|{{hex}}", .output, body: body) == #""a\"\n\xff\x00"|"\x61\x22\x0a\xff\x00""#)
        #expect(try Self.render("{{base64}}", .output, body: body) == "YSIK/wA=")
        #expect(try Self.render("{{json}}", .output, body: body) == "\"a\\\"\\n\u{FFFD}\\u0000\"")
        #expect(try Self.render("{{json}}", .output, body: bytes("é")) == "\"é\"")
        var renderer = TemplateRenderer()
        #expect(try Self.render("[{{data}}]\\n", .output, body: body, renderer: &renderer) == [0x5b] + body + [0x5d, 0x0a])
        #expect(try Self.render("{{peer}}|", .output, peer: "127.0.0.1:9") == "127.0.0.1:9|")
        #expect(try Self.render("{{peer}}|", .output) == "|")
    }

    @Test("topic is the longest subscription the body starts with")
    func topic() throws {
        let subscriptions = [bytes("news"), bytes("news: sport"), bytes("weather")]
        #expect(try Self.render("<{{topic}}>", .output, body: bytes("news: sport 1"), subscriptions: subscriptions) == "<news: sport>")
        #expect(try Self.render("<{{topic}}>", .output, body: bytes("newsflash"), subscriptions: subscriptions) == "<news>")
        #expect(try Self.render("<{{topic}}>", .output, body: bytes("ne"), subscriptions: subscriptions) == "<>")
    }

    @Test("request is the request body, raw")
    func request() throws {
        #expect(try Self.render("re: {{request}} #{{seq}}", .reply, sequence: 3, body: [0x68, 0x00]) == "re: h\u{0} #3")
    }

    @Test("time tokens: RFC 3339 with milliseconds, and seconds/ms/ns of one instant")
    func time() throws {
        var before = timespec()
        clock_gettime(CLOCK_REALTIME, &before)
        let text = try Self.render("{{time}} {{unix}} {{unixms}} {{unixns}}")
        var after = timespec()
        clock_gettime(CLOCK_REALTIME, &after)
        let parts = text.split(separator: " ").map(String.init)
        #expect(parts.count == 4)
        #expect(parts[0].count == 24 && parts[0].hasSuffix("Z") && parts[0].dropFirst(19).first == ".")
        let ns = Int(parts[3])!
        #expect(ns >= before.tv_sec * 1_000_000_000 + before.tv_nsec && ns <= after.tv_sec * 1_000_000_000 + after.tv_nsec)
        #expect(Int(parts[2])! == ns / 1_000_000)
        #expect(Int(parts[1])! == ns / 1_000_000_000)
    }

    @Test("random stays within [A, B] and reaches both ends")
    func randomBounds() throws {
        var renderer = TemplateRenderer()
        var seen = Set<Int>()
        for _ in 0..<2000 {
            let value = Int(String(decoding: try Self.render("{{random -2 3}}", renderer: &renderer), as: UTF8.self))!
            #expect((-2...3).contains(value))
            seen.insert(value)
        }
        #expect(seen == Set(-2...3))
        #expect(try Self.render("{{random 9223372036854775807 9223372036854775807}}") == "9223372036854775807")
        #expect(try Self.render("{{random -9223372036854775808 -9223372036854775808}}") == "-9223372036854775808")
    }

    @Test("uuid is version 4, variant 1, and differs each time")
    func uuid() throws {
        var renderer = TemplateRenderer()
        var seen = Set<String>()
        let hex = Set("0123456789abcdef")
        for _ in 0..<200 {
            let text = String(decoding: try Self.render("{{uuid}}", renderer: &renderer), as: UTF8.self)
            let groups = text.split(separator: "-", omittingEmptySubsequences: false)
            #expect(groups.map(\.count) == [8, 4, 4, 4, 12])
            #expect(groups.allSatisfy { $0.allSatisfy(hex.contains) })
            #expect(groups[2].first == "4")
            #expect("89ab".contains(groups[3].first!))
            seen.insert(text)
        }
        #expect(seen.count == 200)
    }

    @Test("decimal numbers are written without a String, signs and extremes included")
    func decimals() {
        for value in [0, 7, -7, 10, 1_234_567, Int.max, Int.min] {
            var out = OutputBuffer()
            out.appendDecimal(value)
            #expect(String(decoding: out.bytes, as: UTF8.self) == String(value))
        }
    }
}
