namespace PetitionDashboard.Domain;

/// <summary>
/// A saved column mapping for ledgers another system exports (e.g. 省信访信息系统导出): which of its headers the ledger format
/// does not know stand for which column, or are ignored. Used again, without asking, when a ledger with the same set of
/// headers comes back (docs/rules.md §7).
/// </summary>
public class LedgerProfile
{
    public const int MaxNameLength = 50;

    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The ledger's header texts, order-free, joined by "|": the key the profile is found by.</summary>
    public required string HeaderSet { get; set; }
    /// <summary>Header text → column ("" = ignore), as JSON.</summary>
    public required string Mapping { get; set; }
    public DateTime SavedAtUtc { get; set; }
    public required string SavedBy { get; set; }
}
