// Fifty leaders at nine in the morning (issue 12, goal 5): opens N signed-in Blazor circuits of one page against one
// published server and reports what the SERVER spends — CPU per open and memory per idle circuit, read from its own
// /proc entry — and the time from request to data (grid rows on screen), p50/p95. Chromium runs on the same 2 cores and
// costs more than the server, so its CPU is measured too and stated as the client's share.
//   dotnet run -c Release --project bench/LoadBench -- --db /tmp/pd-1m.db --app /tmp/pd-publish [--circuits 50] [--page /]
//     [--warm]          every circuit in one browser context (a leader's warm cache) instead of a fresh context each (cold)
//     [--warmup N]      open and close N circuits first, unmeasured: a server that has run since yesterday (its JIT
//                       tiering done) rather than one just started
//     [--gcdump FILE]   keep the heap dump taken with all circuits idle (`dotnet-gcdump report FILE`: what they hold)
//     [--requests]      list the first measured open's requests: status, bytes over the network, Cache-Control
//     [--per-open]      one line per measured open: its timeline, the server's CPU during it and the load average
//                       (which open of N was the slow one, and whether the server or the browser spent it)
//     [--html FILE]     keep the first measured open's HTML as the server sent it (what the page weighs, and why)
//     [--trace FILE]    `perf record -g` of the server during the opens (JIT symbols through DOTNET_PerfMapEnabled);
//                       read it with `perf report -i FILE --no-children --sort dso,sym`
//     [--browser-trace PREFIX]  Chromium's trace of each measured open, PREFIX-<n>.json (what its renderer did before
//                       the first paint: HTML parse, style sheets, scripts, style, layout, paint — the tracing itself
//                       slows the opens): `python3 bench/LoadBench/first-paint.py PREFIX-*.json` tabulates them
// Time to data is taken from the page's own timeline (ms since the navigation started, i.e. the request): a
// MutationObserver installed before the page's first byte (AddInitScriptAsync) notes when the data selector first
// matches in the DOM and when the circuit says it is interactive; Navigation Timing gives the first byte, the HTML's size,
// DOMContentLoaded and load; Paint Timing the first contentful paint. "Data on screen" is the later of data in the DOM
// and first contentful paint (the browser paints nothing before its blocking CSS is in). The old figure (Playwright's
// GotoAsync + a selector wait, round trips included) is still printed beside it.
// Retained heap per idle circuit needs dotnet-gcdump (`dotnet tool install -g dotnet-gcdump`): it forces a full blocking
// GC in the server and counts the live objects, before the opens and with all circuits idle. Without it, RSS only.
// The server is started here (Production, the published output), on a copy-safe database: a Leader account
// "bench-leader-<port>" is created in it (or its password reset) so the circuits can sign in through the real form.
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
var warm = args.Contains("--warm");
var perOpen = args.Contains("--per-open");
var warmup = int.Parse(Option("--warmup") ?? "0", CultureInfo.InvariantCulture);
var traceFile = Option("--trace");
var browserTrace = Option("--browser-trace");
var gcdump = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-gcdump");
// One account per port: two runs at once need two ports, and each run sets its account's password (which renews the
// security stamp) and signs in (at most Accounts:MaxSessionsPerUser sessions, the oldest ended) — with one shared
// account, a second run ended the first one's sign-in. Runs on the same port follow each other.
var userName = $"bench-leader-{port}";
var password = $"Bench-{Guid.NewGuid():N}"[..20] + "a1!";

// 1. A Leader account with a known password, through the app's own Identity setup.
{
    var builder = WebApplication.CreateBuilder(["--Database:ConnectionString", $"Data Source={db}"]);
    builder.Logging.SetMinimumLevel(LogLevel.Warning);   // the account step's SQL is not the bench's output
    builder.AddPetitionData();
    builder.AddAccount();
    await using var host = builder.Build();
    await using var scope = host.Services.CreateAsyncScope();
    var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
    var user = await users.FindByNameAsync(userName);
    int? leaderId;
    await using (var ctx = await scope.ServiceProvider.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
    {
        // The leader with the most 包案, so that 我的包案 has a list to show.
        leaderId = ctx.LeaderAssignments.GroupBy(a => a.LeaderId).OrderByDescending(g => g.Count()).Select(g => (int?)g.Key).FirstOrDefault();
    }
    if (user is null)
    {
        user = new AppUser { UserName = userName, DisplayName = "压测局领导", LeaderId = leaderId };
        Check(await users.CreateAsync(user, password));
        Check(await users.AddToRoleAsync(user, Roles.Leader));
    }
    else
    {
        Check(await users.RemovePasswordAsync(user));
        Check(await users.AddPasswordAsync(user, password));
    }
}

// 2. The published server, alone in its process. LOADBENCH_SERVER_X=v in the environment sets X=v for the server only
// (e.g. LOADBENCH_SERVER_DOTNET_JitStdOutFile with DOTNET_JitDisasmSummary to list what it compiles).
var serverStart = new ProcessStartInfo("dotnet")
{
    ArgumentList = { Path.Combine(app, "PetitionDashboard.dll"), "--urls", $"http://127.0.0.1:{port}",
        "--Database:ConnectionString", $"Data Source={db}", "--Demo:Enabled", "false", "--Jobs:RunServer", "false" },
    WorkingDirectory = app,
    Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["DOTNET_gcServer"] = "0", ["DOTNET_PerfMapEnabled"] = traceFile is null ? "0" : "1",
        // perf resolves JIT-compiled frames only without the W^X double mapping.
        ["DOTNET_EnableWriteXorExecute"] = traceFile is null ? "1" : "0" },
    RedirectStandardOutput = true, RedirectStandardError = true,
};
foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
    if (e.Key is string key && key.StartsWith("LOADBENCH_SERVER_", StringComparison.Ordinal)) serverStart.Environment[key["LOADBENCH_SERVER_".Length..]] = (string?)e.Value;
var server = Process.Start(serverStart)!;
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
    // Unmeasured: the first requests after the server starts (JIT, the first KPI computation at 1M) once took over
    // Playwright's default 30 s on this machine; the sign-in gets the same 120 s as the first data wait below.
    login.SetDefaultTimeout(120_000);
    await login.GotoAsync("/account/login");
    await login.FillAsync("#username", userName);
    await login.FillAsync("#password", password);
    // The form's answer, kept to say why when the sign-in never leaves the login page.
    IResponse? signInAnswer = null;
    login.Response += (_, r) => { if (r.Request.Method == "POST") signInAnswer = r; };
    await login.ClickAsync("button[type=submit]");
    try
    {
        await login.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
    }
    catch (TimeoutException)
    {
        // Twice in stop 28's run.sh the sign-in sat 120 s on the login page (not reproduced): say what the page said.
        await ReportStuckSignInAsync(login, signInAnswer);
        throw;
    }
    // Sign-in lands on the home page: open the measured page itself before waiting for its data selector.
    if (pagePath != "/") await login.GotoAsync(pagePath);
    await login.WaitForSelectorAsync(dataSelector, new() { Timeout = 120_000 });   // warm-up: the first open after start
    options.StorageState = await signIn.StorageStateAsync();
    await login.CloseAsync();
    await Task.Delay(2000);

    // Warm: one context shared by every circuit, its cache filled by one open first (a leader's browser the next
    // morning); cold: a fresh context per circuit, as if every leader's browser had never seen the site.
    for (var i = 0; i < warmup; i++)
    {
        var context = await browser.NewContextAsync(options);
        var page = await context.NewPageAsync();
        await page.GotoAsync(pagePath);
        await page.WaitForSelectorAsync(dataSelector, new() { Timeout = 120_000 });
        await context.CloseAsync();
    }
    if (warmup > 0) await Task.Delay(3000);
    IBrowserContext? shared = null;
    if (warm)
    {
        shared = await browser.NewContextAsync(options);
        var first = await shared.NewPageAsync();
        await first.GotoAsync(pagePath);
        await first.WaitForSelectorAsync(dataSelector, new() { Timeout = 120_000 });
        await first.CloseAsync();
    }
    var (heap0, components0, _) = LiveHeap(server.Id);
    var rss0 = Rss(server.Id);
    var trace = traceFile is null ? null : Process.Start(new ProcessStartInfo("perf")
    {
        ArgumentList = { "record", "-F", "499", "-g", "-p", server.Id.ToString(CultureInfo.InvariantCulture), "-o", traceFile },
        RedirectStandardOutput = true, RedirectStandardError = true,
    });
    if (trace is not null) await Task.Delay(1000);
    var cpu0 = ServerCpu(server.Id);
    var client0 = ClientCpu();
    // The tiering compiler's background thread (methods JIT-compiled again, optimized, once hot): sampled while the opens
    // run, since it exits when idle and a new one starts later.
    using var tieringWatch = new CancellationTokenSource();
    var tiering = TieringThreadCpuAsync(server.Id, tieringWatch.Token);
    var times = new List<double>();
    var interactive = new List<double>();
    var timelines = new List<PageTimeline>();
    var openCpu = new List<long>();
    var cpuAtHalf = 0L;
    var pages = new List<IPage>();
    long requests = 0, bytes = 0;
    var wall = Stopwatch.StartNew();
    for (var i = 0; i < circuits; i++)
    {
        var context = shared ?? await browser.NewContextAsync(options);
        var page = await context.NewPageAsync();
        await page.AddInitScriptAsync(TimelineScript(dataSelector));
        // What reached the server (the browser's cache answered the rest): requests and body bytes per open.
        var listRequests = i == 0 && args.Contains("--requests");
        page.RequestFinished += async (_, r) =>
        {
            Interlocked.Increment(ref requests);
            try
            {
                var body = (await r.SizesAsync()).ResponseBodySize;
                Interlocked.Add(ref bytes, body);
                // What the first open fetched and how (a 200 with 0 bytes over the network is the browser's cache).
                if (listRequests && await r.ResponseAsync() is { } response)
                    Console.WriteLine($"  request {response.Status} {body / 1024.0,7:0.0} KB {response.Headers.GetValueOrDefault("cache-control", "-")} {new Uri(r.Url).AbsolutePath}");
            }
            catch (PlaywrightException) { }
        };
        var openCpu0 = ServerCpu(server.Id);
        var tracing = browserTrace is null ? null : await BrowserTrace.StartAsync(context, page);
        var start = Stopwatch.GetTimestamp();
        var response = await page.GotoAsync(pagePath);
        await page.WaitForSelectorAsync(dataSelector, new() { Timeout = 120_000 });
        if (tracing is not null) await tracing.StopAsync($"{browserTrace}-{i + 1}.json");
        times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        // Rows may already be in the prerendered HTML: the page answers clicks only once its circuit runs.
        await page.WaitForSelectorAsync("#circuit-state[data-interactive='true']", new() { Timeout = 120_000, State = WaitForSelectorState.Attached });
        interactive.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        timelines.Add(await ReadTimelineAsync(page));
        openCpu.Add(ServerCpu(server.Id) - openCpu0);
        if (i == 0 && Option("--html") is { } htmlFile && response is not null) await File.WriteAllTextAsync(htmlFile, await response.TextAsync());
        pages.Add(page);
        if (i == circuits / 2 - 1) cpuAtHalf = ServerCpu(server.Id);
    }
    wall.Stop();
    await Task.Delay(3000);   // let the last circuits settle (their grid, their first render)
    var cpu1 = ServerCpu(server.Id);
    var client1 = ClientCpu();
    tieringWatch.Cancel();
    var tieringMs = await tiering * 1000.0 / 100;
    if (trace is not null)
    {
        Process.Start("kill", ["-INT", trace.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        await trace.WaitForExitAsync();
    }
    await Task.Delay(5000);   // idle: what N open circuits hold
    var rss1 = Rss(server.Id);
    var (heap1, components1, renderers1) = LiveHeap(server.Id, Option("--gcdump"));

    var serverMs = (cpu1 - cpu0) * 1000.0 / 100;   // clock ticks of 1/100 s
    var clientMs = (client1 - client0) * 1000.0 / 100;
    times.Sort();
    interactive.Sort();
    Console.WriteLine();
    Console.WriteLine($"page {pagePath}, {circuits} circuits opened one after another{(warmup > 0 ? $" after {warmup} unmeasured" : "")} ({(warm ? "warm: one browser context, its cache filled" : "cold: a fresh browser context each")}), database {db}, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    Console.WriteLine("| Measure | Value |");
    Console.WriteLine("|---|---:|");
    Console.WriteLine($"| server CPU, all {circuits} opens | {serverMs / 1000:0.00} s |");
    Console.WriteLine($"| server CPU per open | {serverMs / circuits:0} ms |");
    // The second half runs on code the first half got tiered up: closer to a server that has been up for a while.
    Console.WriteLine($"| server CPU per open, second half of the opens | {(cpu1 - cpuAtHalf) * 10.0 / (circuits - circuits / 2):0} ms |");
    Console.WriteLine($"| of which the tiering compiler's thread (background JIT) | {tieringMs / circuits:0} ms per open |");
    // The page's own timeline, ms from the navigation's start (the request).
    Console.WriteLine($"| **time to data on screen** p50 / p95 (page timeline: later of data in DOM and first paint) | {P(timelines, t => t.DataOnScreen)} |");
    Console.WriteLine($"| time to data in the DOM p50 / p95 (MutationObserver from before the first byte) | {P(timelines, t => t.DataInDom)} |");
    Console.WriteLine($"| **time to interactive** p50 / p95 (page timeline: circuit-state data-interactive) | {P(timelines, t => t.Interactive)} |");
    Console.WriteLine($"| first byte p50 / p95 (server: the prerender) / HTML received | {P(timelines, t => t.ResponseStart)} / {P(timelines, t => t.ResponseEnd)} |");
    Console.WriteLine($"| first contentful paint / DOMContentLoaded / load p50 / p95 | {P(timelines, t => t.FirstContentfulPaint)} / {P(timelines, t => t.DomContentLoaded)} / {P(timelines, t => t.Load)} |");
    Console.WriteLine($"| HTML size (decoded / over the wire) | {timelines.Average(t => t.HtmlDecodedBytes) / 1024:0} / {timelines.Average(t => t.HtmlTransferBytes) / 1024:0} KB |");
    Console.WriteLine($"| data removed from the DOM after it appeared (opens) / back in the DOM p50 / p95 | {timelines.Count(t => t.DataRemoved)} of {timelines.Count} / {P(timelines, t => t.DataRemoved ? t.DataBack : -1)} |");
    Console.WriteLine($"| Playwright's view: GotoAsync (load event) + selector p50 / p95 | {Percentile(times, 0.5):0} / {Percentile(times, 0.95):0} ms |");
    Console.WriteLine($"| Playwright's view: + circuit interactive p50 / p95 | {Percentile(interactive, 0.5):0} / {Percentile(interactive, 0.95):0} ms |");
    Console.WriteLine($"| server memory per idle circuit | {(rss1 - rss0) / 1024.0 / circuits:0.00} MB (RSS {rss0 / 1024.0:0} → {rss1 / 1024.0:0} MB) |");
    Console.WriteLine(heap0 is { } h0 && heap1 is { } h1
        ? $"| retained heap per idle circuit (after a full GC) | {(h1 - h0) / 1024.0 / 1024 / circuits:0.00} MB (live heap {h0 / 1024.0 / 1024:0} → {h1 / 1024.0 / 1024:0} MB) |"
        : "| retained heap per idle circuit | (dotnet-gcdump not installed) |");
    // Every live component has one state object in its circuit's renderer: what one idle circuit keeps rendered.
    // The closed warm-up circuits stay retained (disconnected) for minutes and hold the same page: divide by every renderer.
    if (components1 is { } c1 && renderers1 is > 0 and { } r1)
        Console.WriteLine($"| components per circuit (live component states / live renderers) | {c1 / (double)r1:0} ({c1} / {r1}) |");
    Console.WriteLine($"| requests per open (browser-cache hits included) and bytes received | {(double)requests / circuits:0.0} ({bytes / 1024.0 / circuits:0} KB of bodies over the network) |");
    Console.WriteLine($"| client (Chromium) CPU per open | {clientMs / circuits:0} ms — client share {clientMs / Math.Max(clientMs + serverMs, 1):P0} |");
    Console.WriteLine($"| wall time for all opens | {wall.Elapsed.TotalSeconds:0.0} s |");
    if (perOpen)
    {
        // Server CPU from the request until the circuit is interactive (ticks of 10 ms: a coarse but honest split).
        Console.WriteLine("| open | first byte | HTML received | DOMContentLoaded | first paint | data in DOM | on screen | interactive | load | server CPU |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < timelines.Count; i++)
        {
            var t = timelines[i];
            Console.WriteLine($"| {i + 1} | {t.ResponseStart:0} | {t.ResponseEnd:0} | {t.DomContentLoaded:0} | {t.FirstContentfulPaint:0} | {t.DataInDom:0} | {t.DataOnScreen:0} | {t.Interactive:0} | {t.Load:0} | {openCpu[i] * 10} ms |");
        }
    }
    if (shared is not null) await shared.CloseAsync();
    else foreach (var p in pages) await p.Context.CloseAsync();
}
finally
{
    if (!server.HasExited) { server.Kill(entireProcessTree: true); await server.WaitForExitAsync(); }
}
return 0;

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

// What the login page showed when the sign-in did not leave it: its URL, the form's answer, its messages, a screenshot.
static async Task ReportStuckSignInAsync(IPage login, IResponse? answer)
{
    Console.Error.WriteLine($"sign-in timed out: still at {login.Url} (load average {File.ReadAllText("/proc/loadavg").Trim()})");
    Console.Error.WriteLine(answer is null
        ? "  the form's POST got no answer"
        : $"  the form's POST answered {answer.Status} {answer.StatusText} → {answer.Headers.GetValueOrDefault("location", "(no redirect)")}");
    try
    {
        foreach (var text in await login.Locator(".account-error, .account-notice, .validation-message, #blazor-error-ui").AllInnerTextsAsync())
            if (!string.IsNullOrWhiteSpace(text)) Console.Error.WriteLine($"  the page says: {text.Trim()}");
        var shot = Path.Combine(Path.GetTempPath(), $"loadbench-signin-{DateTime.UtcNow:yyyyMMdd-HHmmss}.png");
        await login.ScreenshotAsync(new() { Path = shot, FullPage = true, Timeout = 30_000 });
        Console.Error.WriteLine($"  screenshot: {shot}");
    }
    catch (PlaywrightException e) { Console.Error.WriteLine($"  (the page could not be read: {e.Message})"); }
}

static void Check(IdentityResult r)
{
    if (!r.Succeeded) throw new InvalidOperationException(string.Join("；", r.Errors.Select(e => e.Description)));
}

static string P(List<PageTimeline> timelines, Func<PageTimeline, double> pick)
{
    var values = timelines.Select(pick).Where(v => v >= 0).Order().ToList();
    return values.Count == 0 ? "—" : $"{Percentile(values, 0.5):0} / {Percentile(values, 0.95):0} ms";
}

// Installed before the document exists: notes (performance.now(), ms since the navigation started) the first moment the data
// selector matches and the circuit's marker turns interactive, and whether the data ever left the DOM again (a render that
// replaced the prerendered rows by a loading state). Init scripts run outside the page's CSP.
static string TimelineScript(string dataSelector) => $$"""
    (() => {
      const data = {{System.Text.Json.JsonSerializer.Serialize(dataSelector)}};
      const live = "#circuit-state[data-interactive='true']";
      const t = window.__pdTimeline = { data: -1, interactive: -1, removed: false, back: -1 };
      let shown = false;
      const check = () => {
        const now = performance.now();
        const has = document.querySelector(data) !== null;
        if (has && t.data < 0) t.data = now;
        if (!has && shown) t.removed = true;
        if (has && !shown && t.removed) t.back = now;
        shown = has;
        if (t.interactive < 0 && document.querySelector(live) !== null) t.interactive = now;
      };
      new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-interactive"] });
    })();
    """;

static async Task<PageTimeline> ReadTimelineAsync(IPage page)
{
    var j = await page.EvaluateAsync<System.Text.Json.JsonElement>("""
        () => {
          const n = performance.getEntriesByType("navigation")[0];
          const fcp = performance.getEntriesByName("first-contentful-paint")[0];
          const t = window.__pdTimeline || { data: -1, interactive: -1, removed: false, back: -1 };
          return { data: t.data, interactive: t.interactive, removed: t.removed, back: t.back, responseStart: n.responseStart, responseEnd: n.responseEnd,
                   dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, fcp: fcp ? fcp.startTime : -1,
                   decoded: n.decodedBodySize, transfer: n.transferSize };
        }
        """);
    double D(string name) => j.GetProperty(name).GetDouble();
    return new PageTimeline(D("responseStart"), D("responseEnd"), D("data"), D("fcp"), D("dcl"), D("load"), D("interactive"),
        D("decoded"), D("transfer"), j.GetProperty("removed").GetBoolean(), D("back"));
}

static double Percentile(List<double> sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

// utime + stime of one process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat; the name may hold spaces).
static long ServerCpu(int pid) => Ticks(File.ReadAllText($"/proc/{pid}/stat"));

// CPU ticks spent by the runtime's tiering compiler thread(s) (".NET Tiered Com…") from now until cancelled.
static async Task<long> TieringThreadCpuAsync(int pid, CancellationToken stop)
{
    var first = new Dictionary<int, long>();
    var last = new Dictionary<int, long>();
    var start = true;
    while (true)
    {
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var stat = File.ReadAllText($"{task}/stat");
                if (!stat.Contains("(.NET Tiered", StringComparison.Ordinal)) continue;
                var tid = int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture);
                var ticks = Ticks(stat);
                if (!first.ContainsKey(tid)) first[tid] = start ? ticks : 0;   // a thread born during the opens counts whole
                last[tid] = ticks;
            }
            catch (IOException) { }   // the thread ended between listing and reading
        }
        start = false;
        if (stop.IsCancellationRequested) break;
        try { await Task.Delay(200, stop); } catch (OperationCanceledException) { }
    }
    return last.Sum(t => t.Value - first[t.Key]);
}

static long Ticks(string stat)
{
    var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
}

// The server's live managed heap and its live components: dotnet-gcdump forces a full blocking GC and walks what
// survives (nulls without the tool).
(long? Bytes, long? Components, long? Renderers) LiveHeap(int pid, string? keep = null)
{
    if (!File.Exists(gcdump)) return (null, null, null);
    var file = Path.Combine(Path.GetTempPath(), $"loadbench-{pid}-{Guid.NewGuid():N}.gcdump");
    try
    {
        using (var collect = Process.Start(new ProcessStartInfo(gcdump) { ArgumentList = { "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", file }, RedirectStandardOutput = true })!)
        {
            collect.StandardOutput.ReadToEnd();
            collect.WaitForExit();
        }
        using var report = Process.Start(new ProcessStartInfo(gcdump) { ArgumentList = { "report", file }, RedirectStandardOutput = true })!;
        long? total = null;
        long components = 0, renderers = 0;
        // The header line "<bytes>  GC Heap bytes" is what survived the collection; then "<bytes of one object>  <count>
        // <type>" per type. Every live component of a Blazor Server renderer is one RemoteComponentState.
        foreach (var line in report.StandardOutput.ReadToEnd().Split('\n'))
        {
            var parts = line.Trim().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 3 && parts[1] == "GC" && parts[2].Trim() == "Heap bytes") total = Number(parts[0]);
            else if (parts.Length == 3 && parts[2].StartsWith("Microsoft.AspNetCore.Components.Server.Circuits.RemoteComponentState ", StringComparison.Ordinal))
                components += Number(parts[1]);
            else if (parts.Length == 3 && parts[2].StartsWith("System.Collections.Generic.Dictionary<System.Int32,Microsoft.AspNetCore.Components.Rendering.ComponentState> ", StringComparison.Ordinal))
                renderers += Number(parts[1]);   // one per live renderer: the circuits, idle or disconnected and retained
        }
        report.WaitForExit();
        return (total, components, renderers);
    }
    finally
    {
        if (keep is not null) File.Move(file, keep, overwrite: true);
        else File.Delete(file);
    }
}

static long Number(string s) => long.Parse(s.Replace(",", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture);

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

/// <summary>One open as the page saw it: ms since its navigation started (−1: never happened), and its HTML's size.</summary>
sealed record PageTimeline(double ResponseStart, double ResponseEnd, double DataInDom, double FirstContentfulPaint, double DomContentLoaded,
    double Load, double Interactive, double HtmlDecodedBytes, double HtmlTransferBytes, bool DataRemoved, double DataBack)
{
    /// <summary>Data in the DOM is on screen at the first paint after it: no paint happens before the blocking CSS is in.</summary>
    public double DataOnScreen => DataInDom < 0 || FirstContentfulPaint < 0 ? -1 : Math.Max(DataInDom, FirstContentfulPaint);
}

/// <summary>Chromium's own trace of one open (the DevTools Performance panel's events), through the page's CDP session.</summary>
sealed class BrowserTrace
{
    private readonly ICDPSession _cdp;
    private readonly List<System.Text.Json.JsonElement> _events = [];
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BrowserTrace(ICDPSession cdp)
    {
        _cdp = cdp;
        cdp.Event("Tracing.dataCollected").OnEvent += (_, e) =>
        {
            if (e?.TryGetProperty("value", out var value) == true)
                lock (_events) foreach (var item in value.EnumerateArray()) _events.Add(item.Clone());
        };
        cdp.Event("Tracing.tracingComplete").OnEvent += (_, _) => _complete.TrySetResult();
    }

    public static async Task<BrowserTrace> StartAsync(IBrowserContext context, IPage page)
    {
        var trace = new BrowserTrace(await context.NewCDPSessionAsync(page));
        await trace._cdp.SendAsync("Tracing.start", new()
        {
            ["categories"] = "devtools.timeline,blink,loading,v8,disabled-by-default-devtools.timeline",
            ["transferMode"] = "ReportEvents",
        });
        return trace;
    }

    public async Task StopAsync(string file)
    {
        await _cdp.SendAsync("Tracing.end");
        await _complete.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await _cdp.DetachAsync();
        lock (_events) File.WriteAllText(file, System.Text.Json.JsonSerializer.Serialize(new { traceEvents = _events }));
    }
}
