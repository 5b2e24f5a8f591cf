namespace PetitionDashboard.Components;

/// <summary>The address of a case page. Case numbers are typed by people and imported from ledgers, so they are escaped.</summary>
public static class CaseLinks
{
    public static string For(string caseNumber) => $"/cases/{Uri.EscapeDataString(caseNumber)}";
}
