import BRLFormat
import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Parses an SVG (or an XHTML-compatible page) with XMLParser and keeps what the chart tests
/// check: every element with its attributes, in document order, and the text of each.
public final class SVGInspector: NSObject, XMLParserDelegate {
  public struct Element {
    public var name: String
    public var attributes: [String: String]
    public var text = ""
    /// Indices of the enclosing elements, outermost first.
    public var ancestors: [Int]
  }

  public private(set) var elements: [Element] = []
  private var stack: [Int] = []
  public private(set) var error: Error?

  /// Parses `text`; nil when it is not well-formed XML.
  public static func parse(_ text: String) -> SVGInspector? {
    let inspector = SVGInspector()
    let parser = XMLParser(data: Data(text.utf8))
    parser.delegate = inspector
    guard parser.parse() else { return nil }
    return inspector
  }

  public func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
    qualifiedName: String?, attributes: [String: String] = [:]
  ) {
    elements.append(Element(name: name, attributes: attributes, ancestors: stack))
    stack.append(elements.count - 1)
  }

  public func parser(
    _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
  ) {
    stack.removeLast()
  }

  public func parser(_ parser: XMLParser, foundCharacters string: String) {
    if let last = stack.last { elements[last].text += string }
  }

  public func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
    error = parseError
  }

  /// Elements with `class` containing `cssClass` (and, if given, the element name).
  public func elements(class cssClass: String, name: String? = nil) -> [Element] {
    elements.filter {
      ($0.attributes["class"]?.split(separator: " ").contains(Substring(cssClass)) ?? false)
        && (name == nil || $0.name == name)
    }
  }

  /// The elements inside element `index`.
  public func children(of index: Int) -> [Element] {
    elements.filter { $0.ancestors.contains(index) }
  }

  public func index(of element: Element) -> Int? {
    elements.firstIndex {
      $0.name == element.name && $0.attributes == element.attributes
        && $0.ancestors == element.ancestors
    }
  }

  /// The (x, y) a path starts at: its `d` begins `Mx y`.
  public static func start(ofPath d: String) -> (Double, Double)? {
    guard d.hasPrefix("M") else { return nil }
    let numbers = d.dropFirst().split(whereSeparator: { !"0123456789.-".contains($0) }).prefix(2)
    guard numbers.count == 2, let x = Double(numbers.first!), let y = Double(numbers.last!) else {
      return nil
    }
    return (x, y)
  }

  /// The plot area's rectangle and each axis' scale, read back from the SVG.
  public func scales() -> (x: ChartScale, y: ChartScale)? {
    guard let area = elements(class: "plot-area").first,
      let left = Double(area.attributes["x"] ?? ""), let top = Double(area.attributes["y"] ?? ""),
      let width = Double(area.attributes["width"] ?? ""),
      let height = Double(area.attributes["height"] ?? ""),
      let xAxis = elements(class: "x", name: "g").first,
      let yAxis = elements(class: "y", name: "g").first
    else { return nil }
    func scale(_ axis: Element, _ range: (Double, Double)) -> ChartScale? {
      let domain = (axis.attributes["data-domain"] ?? "").split(separator: " ").compactMap {
        Double($0)
      }
      guard domain.count == 2,
        let kind = ChartScale.Kind(rawValue: axis.attributes["data-scale"] ?? "")
      else { return nil }
      return ChartScale(kind: kind, domain: domain[0]...domain[1], range: range)
    }
    guard let x = scale(xAxis, (left, left + width)), let y = scale(yAxis, (top + height, top))
    else { return nil }
    return (x, y)
  }
}

extension ChartScale {
  /// The data value at page position `p` (the inverse of `position`).
  public func value(at p: Double) -> Double {
    let t = (p - range.lower) / (range.upper - range.lower)
    switch kind {
    case .linear: return domain.lowerBound + t * (domain.upperBound - domain.lowerBound)
    case .log:
      let (a, b) = (log10(domain.lowerBound), log10(domain.upperBound))
      return pow(10, a + t * (b - a))
    }
  }
}
