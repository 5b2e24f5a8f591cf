using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Assignments;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Assignments;

/// <summary>
/// A small, varied 包案 data set for browser tests and screenshots, written through the service (so progress and
/// events are real): three leaders, overdue / normal / relapsed / resolved 包案, one 集中交办 batch, one free case.
/// </summary>
internal sealed record AssignmentDemo(int Zhang, int Li, int Wang, string FreeCase, string RelapsedCase)
{
    private static readonly (string Names, string Locality, string Category, string Demand)[] Matters =
    [
        ("陈建国", "临川区", "住房保障与房地产", "反映安置房逾期三年未交付，要求开发商限期交房"),
        ("刘秀英、刘国强", "东乡区", "劳动和社会保障", "反映某建筑公司拖欠农民工工资共计18万元"),
        ("黄德明", "临川区", "自然资源", "反映宅基地确权与邻居存在争议，要求重新测量"),
        ("周丽华", "金溪县", "城乡建设", "反映小区旁工地夜间施工噪音扰民"),
        ("吴志强", "东乡区", "农村农业", "反映土地流转租金未按合同支付"),
        ("郑海燕", "临川区", "卫生健康", "反映医疗纠纷处理结果不公，要求重新鉴定"),
        ("孙立新", "金溪县", "政法", "反映判决执行不到位，要求督促执行"),
        ("马文静", "临川区", "教育", "反映子女入学划片不合理"),
    ];

    public static async Task<AssignmentDemo> SeedAsync(TestDatabase database, TestClock appClock, CancellationToken ct)
    {
        var seed = await AssignmentSeed.CreateAsync(database, ct);
        int wang;
        var cases = new List<string>();
        await using (var db = database.CreateDbContext())
        {
            db.Units.AddRange(new Unit { Name = "东乡区", Kind = UnitKind.County }, new Unit { Name = "金溪县", Kind = UnitKind.County },
                new Unit { Name = "市人社局", Kind = UnitKind.CityDepartment });
            var w = db.Leaders.Add(new Leader { Name = "王五", Title = "信访局副局长" }).Entity;
            var i = 0;
            foreach (var (names, locality, category, demand) in Matters)
            {
                var received = new DateOnly(2025, 9, 1).AddDays(i * 9);
                var p = db.Petitions.Add(TestData.PetitionRow($"LC2025{++i:000000}", received, PetitionState.InHandling, unitId: seed.County,
                    form: PetitionForm.Visit, locality: locality, category: category, demand: demand, petitionerNames: names)).Entity;
                cases.Add(p.CaseNumber);
            }
            await db.SaveChangesAsync(ct);
            wang = w.Id;
        }

        var clock = TestClock.AtShanghai(2025, 11, 10);
        var user = new TestAssignmentUser(TestAssignmentUser.Officer("值班员小王"));
        var service = AssignmentSeed.Service(database, clock, user);
        async Task<int> Assign(string number, int leader, DateOnly on)
        {
            clock.Now = new DateTimeOffset(on.ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(8));
            user.Current = TestAssignmentUser.Officer("值班员小王");
            return (await service.AssignAsync(number, seed.Plan(leader), ct)).AssignmentIds.Single();
        }
        async Task As(int leader, string name, DateOnly on, Func<Task> action)
        {
            clock.Now = new DateTimeOffset(on.ToDateTime(new TimeOnly(16, 0)), TimeSpan.FromHours(8));
            user.Current = TestAssignmentUser.LeaderUser(leader, name);
            await action();
        }

        var overdue = await Assign(cases[0], seed.Zhang, new DateOnly(2025, 11, 10));
        await As(seed.Zhang, "张三", new DateOnly(2025, 12, 2), () => service.AddProgressAsync(overdue, "召集住建、开发商现场办公，确定交房时间表", ct));
        var normal = await Assign(cases[1], seed.Zhang, new DateOnly(2026, 1, 5));
        await As(seed.Zhang, "张三", new DateOnly(2026, 2, 3), () => service.AddProgressAsync(normal, "督促人社部门立案查处，已追回工资9万元", ct));
        var relapsed = await Assign(cases[2], seed.Zhang, new DateOnly(2025, 11, 20));
        await As(seed.Zhang, "张三", new DateOnly(2026, 1, 20), () => service.ResolveAsync(relapsed, 0, "重新测量确权，双方签订调解协议", ct));
        await using (var db = database.CreateDbContext())
        {
            // What the repeats feature does when a repeat arrives on a resolved 包案.
            var a = await db.LeaderAssignments.SingleAsync(x => x.Id == relapsed, ct);
            AssignmentLifecycle.Relapse(a, new DateOnly(2026, 3, 16));
            db.AssignmentProgress.Add(new AssignmentProgress
            {
                AssignmentId = a.Id, On = new DateOnly(2026, 3, 16), Actor = "值班员小王", Action = "反弹：化解后再访，信访人对测量结果提出异议",
            });
            await db.SaveChangesAsync(ct);
        }
        var resolvedLi = await Assign(cases[3], seed.Li, new DateOnly(2025, 12, 1));
        await As(seed.Li, "李四", new DateOnly(2026, 1, 15), () => service.ResolveAsync(resolvedLi, 0, "工地调整作业时间，信访人表示满意", ct));
        clock.Now = new DateTimeOffset(2026, 2, 24, 10, 0, 0, TimeSpan.FromHours(8));
        user.Current = TestAssignmentUser.Officer("值班员小王");
        var batch = await service.AssignBatchAsync("2026年第一批积案集中交办", [cases[4], cases[5], cases[6]], new AssignmentPlan
        {
            LeaderId = seed.Li, ResponsiblePerson = "孙科长", StabilityPerson = "属地乡镇", Plan = "逐案研判，一案一策，每月调度一次",
        }, ct);
        await As(seed.Li, "李四", new DateOnly(2026, 3, 10), () => service.RequestExtensionAsync(batch.AssignmentIds[0], 20, "需等待司法鉴定结论", ct));
        appClock.Now = TestClock.AtShanghai(2026, 3, 21).Now;
        return new AssignmentDemo(seed.Zhang, seed.Li, wang, cases[7], cases[2]);
    }
}
