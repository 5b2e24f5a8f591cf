// Fifty leaders at nine in the morning (issue 12, goal 5): opens N signed-in Blazor circuits of one page against one
// published server and reports what the SERVER spends — CPU per open and memory per idle circuit, read from its own
// /proc entry — and the time from request to data (grid rows on screen), p50/p95. Chromium runs on the same 2 cores and
// costs more than the server, so its CPU is measured too and stated as the client's share.
//   dotnet run -c Release --project bench/LoadBench -- --db /tmp/pd-1m.db --app /tmp/pd-publish [--circuits 50] [--page /]
// The server is started here (Production, the published output), on a copy-safe database: a Leader account
// "bench-leader" is created in it (or its password reset) so the circuits can sign in through the real form.
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Playwright;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

var db = Path.GetFullPath(Option("--db") ?? "/tmp/pd-1m.db");
var app = Path.GetFullPath(Option("--app") ?? throw new ArgumentException("--app <published folder>"));
var circuits = int.Parse(Option("--circuits") ?? "50", CultureInfo.InvariantCulture);
var pagePath = Option("--page") ?? "/";
var dataSelector = Option("--selector") ?? ".mud-table-body tr a";
var port = int.Parse(Option("--port") ?? "5199", CultureInfo.InvariantCulture);
const string UserName = "bench-leader";
var password = $"Bench-{Guid.NewGuid():N}"[..20] + "a1!";

// 1. A Leader account with a known password, through the app's own Identity setup.
{
    var builder = WebApplication.CreateBuilder(["--Database:ConnectionString", $"Data Source={db}"]);
    builder.AddPetitionData();
    builder.AddAccount();
    await using var host = builder.Build();
    await using var scope = host.Services.CreateAsyncScope();
    var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
    var user = await users.FindByNameAsync(UserName);
    int? leaderId;
    await using (var ctx = await scope.ServiceProvider.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
    {
        // The leader with the most 包案, so that 我的包案 has a list to show.
        leaderId = ctx.LeaderAssignments.GroupBy(a => a.LeaderId).OrderByDescending(g => g.Count()).Select(g => (int?)g.Key).FirstOrDefault();
    }
    if (user is null)
    {
        user = new AppUser { UserName = UserName, DisplayName = "压测局领导", LeaderId = leaderId };
        Check(await users.CreateAsync(user, password));
        Check(await users.AddToRoleAsync(user, Roles.Leader));
    }
    else
    {
        Check(await users.RemovePasswordAsync(user));
        Check(await users.AddPasswordAsync(user, password));
    }
}

// 2. The published server, alone in its process.
var server = Process.Start(new ProcessStartInfo("dotnet")
{
    ArgumentList = { Path.Combine(app, "PetitionDashboard.dll"), "--urls", $"http://127.0.0.1:{port}",
        "--Database:ConnectionString", $"Data Source={db}", "--Demo:Enabled", "false", "--Jobs:RunServer", "false" },
    WorkingDirectory = app,
    Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["DOTNET_gcServer"] = "0" },
    RedirectStandardOutput = true, RedirectStandardError = true,
})!;
server.OutputDataReceived += (_, _) => { };
server.ErrorDataReceived += (_, e) => { if (e.Data is { } line && line.Contains("fail", StringComparison.OrdinalIgnoreCase)) Console.Error.WriteLine(line); };
server.BeginOutputReadLine();
server.BeginErrorReadLine();
try
{
    var baseUrl = $"http://127.0.0.1:{port}";
    using (var http = new HttpClient())
    {
        for (var i = 0; ; i++)
        {
            try { if ((await http.GetAsync($"{baseUrl}/healthz")).IsSuccessStatusCode) break; } catch (HttpRequestException) { }
            if (i > 600 || server.HasExited) throw new InvalidOperationException("服务器未能启动");
            await Task.Delay(200);
        }
    }

    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = "/usr/bin/chromium",
        Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-renderer-backgrounding", "--disable-background-timer-throttling"],
    });
    var options = new BrowserNewContextOptions { BaseURL = baseUrl, Locale = "zh-CN", ViewportSize = new() { Width = 1440, Height = 900 } };

    // Sign in once through the real form; every circuit reuses the cookie (each page is its own circuit).
    await using var signIn = await browser.NewContextAsync(options);
    var login = await signIn.NewPageAsync();
    await login.GotoAsync("/account/login");
    await login.FillAsync("#username", UserName);
    await login.FillAsync("#password", password);
    await login.ClickAsync("button[type=submit]");
    await login.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
    // Sign-in lands on the home page: open the measured page itself before waiting for its data selector.
    if (pagePath != "/") await login.GotoAsync(pagePath);
    await login.WaitForSelectorAsync(dataSelector, new() { Timeout = 120_000 });   // warm-up: the first open after start
    options.StorageState = await signIn.StorageStateAsync();
    await login.CloseAsync();
    await Task.Delay(2000);

    var cpu0 = ServerCpu(server.Id);
    var rss0 = Rss(server.Id);
    var client0 = ClientCpu();
    var times = new List<double>();
    var pages = new List<IPage>();
    var wall = Stopwatch.StartNew();
    for (var i = 0; i < circuits; i++)
    {
        var context = await browser.NewContextAsync(options);
        var page = await context.NewPageAsync();
        var start = Stopwatch.GetTimestamp();
        await page.GotoAsync(pagePath);
        await page.WaitForSelectorAsync(dataSelector, new() { Timeout = 120_000 });
        times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        pages.Add(page);
    }
    wall.Stop();
    await Task.Delay(3000);   // let the last circuits settle (their grid, their first render)
    var cpu1 = ServerCpu(server.Id);
    var client1 = ClientCpu();
    await Task.Delay(5000);   // idle: what N open circuits hold
    var rss1 = Rss(server.Id);

    var serverMs = (cpu1 - cpu0) * 1000.0 / 100;   // clock ticks of 1/100 s
    var clientMs = (client1 - client0) * 1000.0 / 100;
    times.Sort();
    Console.WriteLine();
    Console.WriteLine($"page {pagePath}, {circuits} circuits opened one after another, database {db}, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    Console.WriteLine("| Measure | Value |");
    Console.WriteLine("|---|---:|");
    Console.WriteLine($"| server CPU, all {circuits} opens | {serverMs / 1000:0.00} s |");
    Console.WriteLine($"| server CPU per open | {serverMs / circuits:0} ms |");
    Console.WriteLine($"| time to data p50 / p95 | {Percentile(times, 0.5):0} / {Percentile(times, 0.95):0} ms |");
    Console.WriteLine($"| server memory per idle circuit | {(rss1 - rss0) / 1024.0 / circuits:0.00} MB (RSS {rss0 / 1024.0:0} → {rss1 / 1024.0:0} MB) |");
    Console.WriteLine($"| client (Chromium) CPU per open | {clientMs / circuits:0} ms — client share {clientMs / Math.Max(clientMs + serverMs, 1):P0} |");
    Console.WriteLine($"| wall time for all opens | {wall.Elapsed.TotalSeconds:0.0} s |");
    foreach (var p in pages) await p.Context.CloseAsync();
}
finally
{
    if (!server.HasExited) { server.Kill(entireProcessTree: true); await server.WaitForExitAsync(); }
}
return 0;

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static void Check(IdentityResult r)
{
    if (!r.Succeeded) throw new InvalidOperationException(string.Join("；", r.Errors.Select(e => e.Description)));
}

static double Percentile(List<double> sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

// utime + stime of one process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat; the name may hold spaces).
static long ServerCpu(int pid) => Ticks(File.ReadAllText($"/proc/{pid}/stat"));

static long Ticks(string stat)
{
    var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
}

static long Rss(int pid) =>
    long.Parse(File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

// CPU of every Chromium process on the machine started by this bench (its browser and renderers): the client's share.
static long ClientCpu()
{
    var self = Environment.ProcessId;
    long sum = 0;
    foreach (var dir in Directory.EnumerateDirectories("/proc"))
    {
        if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
        try
        {
            if (!DescendsFrom(pid, self)) continue;
            var cmd = File.ReadAllText($"{dir}/cmdline");
            if (cmd.Contains("chromium", StringComparison.Ordinal)) sum += Ticks(File.ReadAllText($"{dir}/stat"));
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
    return sum;
}

static bool DescendsFrom(int pid, int ancestor)
{
    for (var i = 0; i < 16 && pid > 1; i++)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        if (parent == ancestor) return true;
        pid = parent;
    }
    return false;
}
