import Foundation
import GazetteTestSupport

/// TDLib's own schema (`td_api.tl`, in `Tests/Fixtures/tdlib/schema/`) read into constructors, functions and their
/// fields, with each field's nullability from its documentation ("may be null", "pass null"). Tests check JSON
/// against it: what TDLib sends (fixtures) and what Gazette sends (requests).
struct TLSchema: Sendable {
    indirect enum FieldType: Sendable, Equatable, CustomStringConvertible {
        case int32, int53, int64, double, string, bytes, bool
        case vector(FieldType)
        /// A lowercase type: exactly this constructor.
        case constructor(String)
        /// A capitalized type: any constructor of the class.
        case `class`(String)

        init(_ text: Substring) {
            switch text {
            case "int32": self = .int32
            case "int53": self = .int53
            case "int64": self = .int64
            case "double": self = .double
            case "string": self = .string
            case "bytes": self = .bytes
            case "Bool": self = .bool
            default:
                if text.hasPrefix("vector<"), text.hasSuffix(">") {
                    self = .vector(FieldType(text.dropFirst("vector<".count).dropLast()))
                } else if text.first?.isUppercase == true {
                    self = .class(String(text))
                } else {
                    self = .constructor(String(text))
                }
            }
        }

        var description: String {
            switch self {
            case .int32: "int32"
            case .int53: "int53"
            case .int64: "int64"
            case .double: "double"
            case .string: "string"
            case .bytes: "bytes"
            case .bool: "Bool"
            case .vector(let element): "vector<\(element)>"
            case .constructor(let name), .class(let name): name
            }
        }
    }

    struct Field: Sendable, Equatable {
        let name: String
        let type: FieldType
        /// Documented as "may be null" or "pass null": TDLib leaves it out of its JSON when null.
        let nullable: Bool
    }

    struct Declaration: Sendable {
        let name: String
        let fields: [Field]
        /// The class a constructor belongs to, or a function's result type.
        let result: String
        let isFunction: Bool

        func field(_ name: String) -> Field? { fields.first { $0.name == name } }
    }

    /// Objects TDLib sends and takes, by name.
    let constructors: [String: Declaration]
    /// Requests (methods), by name.
    let functions: [String: Declaration]
    /// The constructors of each class.
    let classes: [String: Set<String>]

    /// The copy kept with the test fixtures (1.8.66; notes in its README).
    static func fixture() throws -> TLSchema {
        try TLSchema(text: TestFixtures.text("tdlib/schema/td_api.tl"))
    }

    init(text: String) throws {
        var constructors: [String: Declaration] = [:]
        var functions: [String: Declaration] = [:]
        var classes: [String: Set<String>] = [:]
        var inFunctions = false
        var comment: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty {
                comment = []
                continue
            }
            if line == "---functions---" {
                inFunctions = true
                continue
            }
            if line.hasPrefix("//-") {
                comment.append(String(line.dropFirst(3)))
                continue
            }
            if line.hasPrefix("//") {
                comment.append(String(line.dropFirst(2)))
                continue
            }
            defer { comment = [] }
            // The built-in types at the top (`int32 = Int32;`, `vector {t:Type} …`) carry no documentation.
            guard !comment.isEmpty else { continue }
            let declaration = try Self.declaration(line, docs: Self.docs(comment.joined(separator: " ")), isFunction: inFunctions)
            if inFunctions {
                functions[declaration.name] = declaration
            } else {
                constructors[declaration.name] = declaration
                classes[declaration.result, default: []].insert(declaration.name)
            }
        }
        guard !constructors.isEmpty, !functions.isEmpty else { throw SchemaError(line: "", reason: "no declarations found") }
        (self.constructors, self.functions, self.classes) = (constructors, functions, classes)
    }

    struct SchemaError: Error, CustomStringConvertible {
        let line: String
        let reason: String
        var description: String { "td_api.tl: \(reason): \(line)" }
    }

    /// `name field:type … = Result;`
    private static func declaration(_ line: String, docs: [String: String], isFunction: Bool) throws -> Declaration {
        guard line.hasSuffix(";"), let equals = line.range(of: " = ") else { throw SchemaError(line: line, reason: "not a declaration") }
        let result = String(line[equals.upperBound...].dropLast())
        let words = line[..<equals.lowerBound].split(separator: " ")
        guard let name = words.first else { throw SchemaError(line: line, reason: "no name") }
        let fields = try words.dropFirst().map { word -> Field in
            guard let colon = word.firstIndex(of: ":") else { throw SchemaError(line: line, reason: "field without a type") }
            let fieldName = String(word[..<colon])
            let doc = (docs[fieldName] ?? docs["param_" + fieldName] ?? "").lowercased()
            return Field(name: fieldName, type: FieldType(word[word.index(after: colon)...]),
                         nullable: doc.contains("may be null") || doc.contains("pass null"))
        }
        return Declaration(name: String(name), fields: fields, result: result, isFunction: isFunction)
    }

    /// `@key text @key text …` of a declaration's comment block.
    private static func docs(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        var key: String?
        var value = ""
        for word in text.split(separator: " ") {
            if word.hasPrefix("@"), word.count > 1 {
                if let key { out[key] = value }
                key = String(word.dropFirst())
                value = ""
            } else {
                value += value.isEmpty ? String(word) : " " + word
            }
        }
        if let key { out[key] = value }
        return out
    }
}

// MARK: Checking JSON against the schema

/// A JSON value as TDLib's JSON interface writes it.
indirect enum TDJSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([TDJSONValue])
    case object([String: TDJSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .integer(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([TDJSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: TDJSONValue].self)) }
    }

    static func parse(_ data: Data) throws -> TDJSONValue { try JSONDecoder().decode(TDJSONValue.self, from: data) }

    var objectType: String? {
        if case .object(let fields) = self, case .string(let type)? = fields["@type"] { return type }
        return nil
    }

    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension TLSchema {
    /// Which side wrote the JSON. TDLib writes every field that is not null and int64 as a string; a request may leave
    /// fields out (TDLib takes 0, false, empty or null) and give an int64 as a number.
    enum Direction: Sendable { case fromTDLib, request }

    /// Everything wrong with an object TDLib would send (`expected` nil: any object), each as `path: what`.
    func problems(in value: TDJSONValue, expected: FieldType? = nil, path: String, direction: Direction = .fromTDLib) -> [String] {
        var out: [String] = []
        if let expected {
            check(value, as: expected, path: path, direction: direction, into: &out)
        } else if let type = value.objectType, constructors[type] != nil {
            check(value, as: .constructor(type), path: path, direction: direction, into: &out)
        } else {
            out.append("\(path): \(value.objectType.map { "no constructor \($0)" } ?? "not a TDLib object (no @type)")")
        }
        return out
    }

    /// Everything wrong with a request: the function exists, each field is one of its parameters with its type.
    func requestProblems(_ value: TDJSONValue, path: String) -> [String] {
        guard case .object(let fields) = value, let name = value.objectType else { return ["\(path): not a request object"] }
        guard let function = functions[name] else {
            return ["\(path): no function \(name)\(constructors[name] != nil ? " (it is an object, not a request)" : "")"]
        }
        var out: [String] = []
        checkFields(fields, of: function, path: path, direction: .request, into: &out)
        return out
    }

    private func check(_ value: TDJSONValue, as type: FieldType, path: String, direction: Direction, into out: inout [String]) {
        func wrong() { out.append("\(path): \(value.kind), not \(type)") }
        switch (type, value) {
        case (.int32, .integer(let n)):
            if n < Int64(Int32.min) || n > Int64(Int32.max) { out.append("\(path): \(n) is out of int32's range") }
        case (.int53, .integer(let n)):
            if abs(n) > 1 << 53 { out.append("\(path): \(n) is out of int53's range") }
        case (.int64, .string(let s)):
            if Int64(s) == nil { out.append("\(path): \"\(s)\" is not an int64") }
        case (.int64, .integer):
            if direction == .fromTDLib { out.append("\(path): TDLib writes int64 as a string, not a number") }
        case (.double, .integer), (.double, .number), (.string, .string), (.bool, .bool):
            break
        case (.bytes, .string(let s)):
            if Data(base64Encoded: s) == nil { out.append("\(path): bytes are base64, \"\(s.prefix(20))\" is not") }
        case (.vector(let element), .array(let items)):
            for (i, item) in items.enumerated() { check(item, as: element, path: "\(path)[\(i)]", direction: direction, into: &out) }
        case (.constructor(let name), .object(let fields)):
            guard let declared = value.objectType else {
                // A request may leave out the @type of a field whose type names one constructor.
                if direction == .request, let constructor = constructors[name] {
                    checkFields(fields, of: constructor, path: path, direction: direction, into: &out)
                } else {
                    out.append("\(path): no @type (expected \(name))")
                }
                return
            }
            guard let constructor = constructors[declared] else { return out.append("\(path): no constructor \(declared)") }
            // A lowercase field type names the one constructor of a class (`formattedText`); any of that class is allowed.
            guard declared == name || constructor.result == constructors[name]?.result else {
                return out.append("\(path): \(declared) is not a \(name)")
            }
            checkFields(fields, of: constructor, path: path, direction: direction, into: &out)
        case (.class(let name), .object(let fields)):
            guard let declared = value.objectType else { return out.append("\(path): no @type (expected one of class \(name))") }
            guard let constructor = constructors[declared] else { return out.append("\(path): no constructor \(declared)") }
            guard constructor.result == name else { return out.append("\(path): \(declared) is a \(constructor.result), not a \(name)") }
            checkFields(fields, of: constructor, path: path, direction: direction, into: &out)
        default:
            wrong()
        }
    }

    private func checkFields(_ fields: [String: TDJSONValue], of declaration: Declaration, path: String, direction: Direction,
                             into out: inout [String]) {
        for key in fields.keys.sorted() where !["@type", "@extra", "@client_id"].contains(key) {
            let value = fields[key]!
            guard let field = declaration.field(key) else {
                out.append("\(path).\(key): not a field of \(declaration.name)")
                continue
            }
            if value == .null {
                if !field.nullable, direction == .fromTDLib { out.append("\(path).\(key): null, but \(declaration.name).\(key) is never null") }
                continue
            }
            check(value, as: field.type, path: "\(path).\(key)", direction: direction, into: &out)
        }
        guard direction == .fromTDLib else { return }
        for field in declaration.fields where !field.nullable && fields[field.name] == nil {
            out.append("\(path).\(field.name): missing (\(declaration.name).\(field.name) is \(field.type), never null)")
        }
    }
}
