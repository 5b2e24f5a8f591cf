namespace PetitionDashboard.Tests.Browser;

/// <summary>
/// Every test that starts a host (the app, Hangfire) belongs here: Hangfire keeps static state (JobStorage.Current),
/// and one shared Chromium is cheaper than one per class. The collection never runs in parallel. A test fails when a
/// browser page it opened logged an error (<see cref="CleanBrowserConsoleAttribute"/>, on the whole assembly).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AppCollection : ICollectionFixture<BrowserFixture>, ICollectionFixture<Security.SecuredAppFactory>
{
    public const string Name = "App host";
}
