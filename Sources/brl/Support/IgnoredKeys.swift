/// The text line naming the members of a dump that brl did not use (`ignored: cfg, iter`), or no
/// line when there are none; `loss` and `verify` print it the same way.
func ignoredKeysLines(_ keys: [String]) -> [String] {
  keys.isEmpty ? [] : ["ignored: " + keys.joined(separator: ", ")]
}
