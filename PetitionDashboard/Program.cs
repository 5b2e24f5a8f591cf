using PetitionDashboard;
using PetitionDashboard.CommandLine;
using PetitionDashboard.Components;
using PetitionDashboard.Components.Localization;
using PetitionDashboard.Data;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Admin;
using PetitionDashboard.Features.Assignments;
using PetitionDashboard.Features.Reception;
using PetitionDashboard.Features.Audit;
using PetitionDashboard.Features.Backlog;
using PetitionDashboard.Features.Calendar;
using PetitionDashboard.Features.Cases;
using PetitionDashboard.Features.Health;
using PetitionDashboard.Features.Import;
using PetitionDashboard.Features.Instructions;
using PetitionDashboard.Features.Jobs;
using PetitionDashboard.Features.Registration;
using PetitionDashboard.Features.Repeats;
using PetitionDashboard.Features.Reports;
using PetitionDashboard.Features.Risk;
using PetitionDashboard.Features.Scoring;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Features.Supervision;
using PetitionDashboard.Features.Threads;
using PetitionDashboard.Infrastructure.Files;
using PetitionDashboard.Infrastructure.StaticAssets;

// A command line runs in a child process with a short-lived process's runtime settings (CommandLine/CommandRuntime.cs).
if (await CommandRuntime.RunInChildAsync(args) is { } commandExit) return commandExit;

var builder = WebApplication.CreateBuilder(CommandLineCommands.HostArguments(args));

// The parts every feature stands on (docs/architecture.md).
builder.AddPetitionData();
builder.AddUserInterface();
builder.AddJobs();
builder.AddHealth();
builder.AddPrivateTempFiles();

// Features, one line each (Features/X/XFeature.cs).
builder.AddAccount();
builder.AddAdmin();
builder.AddAudit();
builder.AddBacklog();
builder.AddCases();
builder.AddSupervision();
builder.AddAssignments();
builder.AddInstructions();
builder.AddReception();
builder.AddRegistration();
builder.AddRepeats();
builder.AddThreads();
builder.AddScoring();
builder.AddStatistics();
builder.AddRisk();
builder.AddReports();
builder.AddImport();
builder.AddCalendar();
builder.AddCommandLineCommands(args);

// Builds the app; a command line (`-- import 台账.xlsx`) then runs its command, otherwise the pipeline below is set up,
// the database initialized and the web app served (AppStart).
return await AppStart.RunAsync(builder, args, app =>
{
    // Pipeline.
    if (!app.Environment.IsDevelopment())
    {
        app.UseExceptionHandler("/Error", createScopeForErrors: true);
    }
    app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
    app.UseChineseCulture();
    app.UseAccountSecurity();
    app.UseAntiforgery();

    // Endpoints.
    // The SDK's endpoints plus br/gzip for the packages' fingerprinted assets (MudBlazor), which it leaves uncompressed.
    var assets = PackageAssetCompression.CompletedManifest(app.Environment);
    app.MapStaticAssets(assets).AllowAnonymous();
    // Circuit messages go uncompressed: deflating every render batch and event was ~5 % of the server's CPU per home-page
    // open at 1M (perf, bench/README.md, LoadBench), on a LAN where the bytes cost nothing. Compression is what Blazor pairs
    // with a frame-ancestors CSP (no framing attacks on compressed secrets); the app's own CSP forbids framing anyway.
    app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.DisableWebSocketCompression = true).WithStaticAssets(assets);
    app.MapAccount();
    app.MapReports();
    app.MapImport();
    app.MapAudit();
    app.MapJobs();
    app.MapHealth();
});

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
