import ArgumentParser
import RankingLosses

extension LossKind: ExpressibleByArgument {}
extension RankingLosses.Method: ExpressibleByArgument {}
extension APLoss.Variant: ExpressibleByArgument {}
extension Grouping: ExpressibleByArgument {}
