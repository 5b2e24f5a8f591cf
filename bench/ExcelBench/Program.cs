using System.Globalization;
using ClosedXML.Excel;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Import;
using PetitionDashboard.Features.Reports;
using PetitionDashboard.Infrastructure.Excel;

// ExcelBench ledger <rows> <out.xlsx> <mixed|overdue> <week yyyy-Www> [seed]
//   mixed:   a realistic ledger — registered, in handling, replied, closed rows, ~10 % repeats by 原信访编号, valid ID numbers
//   overdue: every row registered 20–120 days before the week's Monday and never accepted, so all are in that week's 超期数
// The file is written with the app's own StreamedWorkbook (ClosedXML header + streamed rows), so memory stays flat.
//
// ExcelBench in-process <runs> <ledger.xlsx> <db-prefix> [app settings …]
//   the app's `import` command <runs> times in this one process, each into a fresh database <db-prefix>-<n>.db: the first
//   run is the cold command (JIT, type loading, EF's model), the later ones what the import costs inside a warm server (the
//   upload page runs the same service). Per run: wall, this process's CPU (user + sys) and its peak resident memory (the
//   peak is reset between runs through /proc/self/clear_refs). "result at": when the command printed its result (what the
//   upload page shows then) — before what the import leaves to the background, which the command waits for (ImportCheckpoints).
if (args.Length >= 4 && args[0] == "in-process")
{
    var entry = typeof(LedgerColumns).Assembly.EntryPoint ?? throw new InvalidOperationException("PetitionDashboard has no entry point");
    var runs = int.Parse(args[1], CultureInfo.InvariantCulture);
    var stamped = new ResultStamp(Console.Out);
    Console.SetOut(stamped);
    static long Status(string field) => long.Parse( // kB, from /proc/self/status
        File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
        CultureInfo.InvariantCulture);
    for (var run = 1; run <= runs; run++)
    {
        // What the run before left is collected and given back, as in a server idle between uploads; then the peak resident
        // size starts again from the current one.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        File.WriteAllText("/proc/self/clear_refs", "5");
        var startRss = Status("VmRSS:");
        var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        stamped.Start(clock);
        string[] appArgs = ["import", args[2], "--Database:ConnectionString", $"Data Source={args[3]}-{run}.db", .. args[4..]];
        // The compiled entry point is the synchronous wrapper of the async Main: it returns the exit code.
        var code = entry.Invoke(null, [appArgs]) switch { Task<int> task => await task, var value => (int)value! };
        process.Refresh();
        Console.WriteLine(FormattableString.Invariant(
            $"in-process run {run}: exit {code}  wall {clock.Elapsed.TotalSeconds:F1} s (result at {stamped.ResultAt?.TotalSeconds ?? double.NaN:F1} s)  CPU {(process.TotalProcessorTime - cpu).TotalSeconds:F1} s  peak {Status("VmHWM:") / 1024} MB (resident before the run {startRss / 1024} MB)"));
        if (code != 0) return code;
    }
    return 0;
}
if (args.Length < 5 || args[0] != "ledger" || !int.TryParse(args[1], out var rows) || !IsoWeek.TryParse(args[4], out var week))
{
    Console.Error.WriteLine("用法：ExcelBench ledger <行数> <输出.xlsx> <mixed|overdue> <周 2026-W47> [种子]");
    return 2;
}
var output = args[2];
var overdueOnly = args[3] == "overdue";
var seed = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 20261123;
var rng = new Random(seed);
string[] units = ["临川区", "东湖区", "青山县", "石门县", "凤鸣县", "云岭县", "白水县", "清溪县", "市住建局", "市人社局"];
string[] surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林"];
string[] given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "桂兰", "建华"];
string[] demands =
[
    "反映小区物业公司擅自提高物业费，要求依法查处并退还多收费用", "要求解决拖欠农民工工资问题，涉及工程款约二十万元",
    "反映征地补偿标准过低，要求按新标准重新核算补偿", "反映邻居违章搭建影响采光通风，要求城管部门拆除",
    "要求落实退役军人安置待遇", "反映学校乱收费问题，要求教育部门调查处理", "反映企业排放污水污染河道，要求环保部门查处",
    "要求办理不动产权证书，开发商至今未办理", "反映医疗纠纷处理不公，要求重新鉴定", "反映养老保险待遇核定有误，要求重新核定",
];
string[] forms = ["来信", "来访", "网上信访", "电话", "领导信箱"];
var categories = DomainText.Categories;
var monday = week.Monday;

using var wb = new XLWorkbook();
var ws = wb.Worksheets.Add("台账");
var headers = LedgerColumns.All.ToArray();
for (var c = 0; c < headers.Length; c++)
{
    ws.Cell(1, c + 1).SetValue(headers[c]);
    ws.Cell(2, c + 1).SetValue("-");
}
ws.Cell(2, Array.IndexOf(headers, LedgerColumns.AcceptedOn) + 1).Style.NumberFormat.Format = "yyyy-mm-dd";
var unitSheet = wb.Worksheets.Add(LedgerColumns.UnitSheet);
unitSheet.Cell(1, 1).SetValue(LedgerColumns.UnitName);
unitSheet.Cell(1, 2).SetValue(LedgerColumns.UnitKind);
for (var i = 0; i < units.Length; i++)
{
    unitSheet.Cell(i + 2, 1).SetValue(units[i]);
    unitSheet.Cell(i + 2, 2).SetValue(units[i].StartsWith('市') ? "市直部门" : "县区");
}

// Unique per row (birth date from the row number, sequence within the day), so one number is always one person. Area
// 3612xx, which the demo city (3611xx) never uses: the ledger also imports into a generate-demo database (bench/import.sh).
string IdNumber(int row)
{
    var birth = new DateOnly(1950, 1, 1).AddDays(row / 1000);
    var body = $"3612{row % 30:00}{birth:yyyyMMdd}{row % 1000:000}";
    int[] w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    var sum = body.Select((ch, i) => (ch - '0') * w[i]).Sum();
    return body + "10X98765432"[sum % 11];
}

async IAsyncEnumerable<XlsxRow> Rows()
{
    var earlier = new List<(string Case, DateOnly On)>();
    for (var i = 1; i <= rows; i++)
    {
        var cells = new XlsxCell[headers.Length];
        void Set(string column, XlsxCell value) => cells[Array.IndexOf(headers, column)] = value;
        DateOnly received = overdueOnly ? monday.AddDays(-rng.Next(20, 121)) : monday.AddDays(-rng.Next(1, 720));
        var caseNumber = $"BENCH{received:yyyyMMdd}-{i:000000}";
        var name = surnames[rng.Next(surnames.Length)] + given[rng.Next(given.Length)];
        Set(LedgerColumns.CaseNumber, XlsxCell.Of(caseNumber));
        Set(LedgerColumns.ReceivedOn, XlsxCell.Of(received.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        Set(LedgerColumns.Form, XlsxCell.Of(forms[rng.Next(forms.Length)]));
        Set(LedgerColumns.Petitioners, XlsxCell.Of(name));
        if (rng.Next(3) > 0) Set(LedgerColumns.IdNumbers, XlsxCell.Of(IdNumber(i)));
        Set(LedgerColumns.Phones, XlsxCell.Of($"1{rng.Next(30, 90)}{rng.Next(0, 100000000):00000000}"));
        Set(LedgerColumns.PeopleCount, XlsxCell.Of(rng.Next(10) == 0 ? rng.Next(2, 12) : 1));
        var unit = units[rng.Next(units.Length)];
        Set(LedgerColumns.Locality, XlsxCell.Of(unit.StartsWith('市') ? "临川区" : unit));
        Set(LedgerColumns.Category, XlsxCell.Of(categories[rng.Next(categories.Count)]));
        Set(LedgerColumns.Demand, XlsxCell.Of(demands[rng.Next(demands.Length)]));
        Set(LedgerColumns.Unit, XlsxCell.Of(unit));
        if (!overdueOnly)
        {
            var stage = rng.Next(4);
            var today = monday.AddDays(6);
            if (stage >= 1 && received.AddDays(5) <= today)
            {
                var accepted = received.AddDays(rng.Next(1, 5));
                Set(LedgerColumns.AcceptedOn, XlsxCell.Of(accepted));
                if (stage >= 2 && accepted.AddDays(30) <= today)
                {
                    var replied = accepted.AddDays(rng.Next(10, 30));
                    Set(LedgerColumns.RepliedOn, XlsxCell.Of(replied.ToString("yyyy/M/d", CultureInfo.InvariantCulture)));
                    Set(LedgerColumns.ReplyResult, XlsxCell.Of(rng.Next(3) switch { 0 => "支持", 1 => "解释说明", _ => "不予支持" }));
                    if (rng.Next(2) == 0) Set(LedgerColumns.Evaluation, XlsxCell.Of(rng.Next(3) switch { 0 => "满意", 1 => "基本满意", _ => "不满意" }));
                    if (stage >= 3 && replied.AddDays(31) <= today)
                        Set(LedgerColumns.ClosedOn, XlsxCell.Of(replied.AddDays(31).ToString("yyyy年M月d日", CultureInfo.InvariantCulture)));
                }
            }
            var repeatOf = earlier.Count > 100 && rng.Next(10) == 0 ? earlier[rng.Next(earlier.Count)] : default;
            if (repeatOf.Case is not null && repeatOf.On <= received) Set(LedgerColumns.OriginalCaseNumber, XlsxCell.Of(repeatOf.Case));
            if (earlier.Count < 20000) earlier.Add((caseNumber, received));
        }
        yield return new XlsxRow(cells);
    }
    await Task.CompletedTask;
}

await using (var file = File.Create(output))
    await StreamedWorkbook.WriteAsync(wb, [new StreamedSheet("台账", 1, 1, Rows())], file);
Console.WriteLine($"已写出 {output}：{rows} 行（{(overdueOnly ? "全部在 " + week + " 超期" : "混合状态")}），{new FileInfo(output).Length / 1024 / 1024.0:F1} MB");
return 0;

/// <summary>Console output passed through, with the time the import command printed its result line (“…；用时 … 秒”).</summary>
internal sealed class ResultStamp(TextWriter inner) : TextWriter
{
    private System.Diagnostics.Stopwatch? _clock;

    public TimeSpan? ResultAt { get; private set; }

    public override System.Text.Encoding Encoding => inner.Encoding;

    public void Start(System.Diagnostics.Stopwatch clock) => (_clock, ResultAt) = (clock, null);

    public override void Write(char value) => inner.Write(value);

    public override void Write(string? value) => inner.Write(value);

    public override void WriteLine(string? value)
    {
        if (ResultAt is null && value?.Contains("；用时 ", StringComparison.Ordinal) == true) ResultAt = _clock?.Elapsed;
        inner.WriteLine(value);
    }

    public override void Flush() => inner.Flush();
}
