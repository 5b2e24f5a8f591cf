namespace PetitionDashboard.Data;

/// <summary>
/// A one-time data step that is complete in this database, so start-up does not look for its work again (issue 12: at a
/// million rows "is anything left?" is a scan). Written by the step itself once nothing is left.
/// </summary>
public class MaintenanceMarker
{
    /// <summary>Every petitioner row is under encryption (<see cref="Protection.PersonalDataRewrap.ProtectClearRowsAsync"/>).</summary>
    public const string PersonalDataProtected = "PersonalDataProtected";

    public required string Name { get; set; }
    public DateTime DoneAtUtc { get; set; }
}
