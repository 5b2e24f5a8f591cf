using MudBlazor;
using PetitionDashboard.Components;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Tests.Components;

/// <summary>Case links and status colours are the same on every page.</summary>
public class SharedDisplayTests
{
    [Theory]
    [InlineData("XF-20260210-01", "/cases/XF-20260210-01")]
    // Case numbers come from people and ledgers: a slash, a space, '#' or Chinese must not break the address.
    [InlineData("信访/2025 #3", "/cases/%E4%BF%A1%E8%AE%BF%2F2025%20%233")]
    [InlineData("A?b=1&c", "/cases/A%3Fb%3D1%26c")]
    public void CaseLink_EscapesTheCaseNumber(string caseNumber, string expected)
    {
        Assert.Equal(expected, CaseLinks.For(caseNumber));
    }

    [Theory]
    [InlineData(DeadlineStatus.Normal, Color.Success)]
    [InlineData(DeadlineStatus.DueSoon, Color.Warning)]
    [InlineData(DeadlineStatus.Overdue, Color.Error)]
    [InlineData(DeadlineStatus.OnTime, Color.Success)]
    [InlineData(DeadlineStatus.Late, Color.Error)]
    public void DeadlineColour_GreenAmberRed(DeadlineStatus status, Color expected)
    {
        Assert.Equal(expected, StatusColors.Of(status));
    }

    [Theory]
    [InlineData(AssignmentStatus.Active, Color.Primary)]
    [InlineData(AssignmentStatus.Relapsed, Color.Error)]
    [InlineData(AssignmentStatus.Resolved, Color.Success)]
    public void AssignmentColour_RelapseStandsOut(AssignmentStatus status, Color expected)
    {
        Assert.Equal(expected, StatusColors.Of(status));
    }
}
