using MudBlazor.Services;
using PetitionDashboard.CommandLine;
using PetitionDashboard.Components;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Demo;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddPetitionData(builder.Configuration);
builder.Services.AddDemoData(builder.Configuration);
builder.AddCommandLineCommands(args);

var app = builder.Build();

// A command line like `-- generate-demo --petitions 1000` runs that command with the app's services, not the web app.
if (CommandLineCommands.IsCommand(args)) return await CommandLineCommands.RunAsync(app.Services, args);

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();

app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<AppDbContext>>().MigrateAsync();
await app.Services.GetRequiredService<DemoDataLoader>().LoadIfEmptyAsync();

app.Run();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
