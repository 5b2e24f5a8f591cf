using PetitionDashboard.Domain;

namespace PetitionDashboard.Tests.Support;

/// <summary>Asserts a refusal of the current user's role: the one refusal type, of kind NotAllowed.</summary>
public static class Refused
{
    public static async Task<ActionRefusedException> NotAllowedAsync(Func<Task> action)
    {
        var refusal = await Assert.ThrowsAsync<ActionRefusedException>(action);
        Assert.Equal(RefusalKind.NotAllowed, refusal.Kind);
        return refusal;
    }

    public static ActionRefusedException NotAllowed(Action action)
    {
        var refusal = Assert.Throws<ActionRefusedException>(action);
        Assert.Equal(RefusalKind.NotAllowed, refusal.Kind);
        return refusal;
    }
}
