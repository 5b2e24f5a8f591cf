namespace PetitionDashboard.Domain;

/// <summary>
/// A duty officer's decision that a petition is <em>not</em> a repeat on a thread (docs/rules.md §6: "the decision is kept"):
/// made when an automatic match is unlinked, or when the officer registers a petition as a new matter despite candidates.
/// Automatic detection (registration, re-scan, import) never proposes that thread for the petition again; a later hand
/// link into that thread removes the decision. The change itself is audited by the petition's events.
/// </summary>
public class RepeatDecision
{
    public int Id { get; set; }
    public int PetitionId { get; set; }
    /// <summary>The thread the petition is not part of. No foreign key: an emptied thread may be deleted, the decision stays.</summary>
    public int ThreadId { get; set; }
    public DateTime AtUtc { get; set; }
    public required string Actor { get; set; }
    public required string Reason { get; set; }
}
