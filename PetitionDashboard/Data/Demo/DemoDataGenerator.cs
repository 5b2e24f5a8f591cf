using System.Globalization;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Data.Demo;

/// <summary>
/// Generates the demo city's petitions, deterministically: the same seed and the same "today" give the same rows.
/// Every petition goes through <see cref="PetitionLifecycle"/> with the configured <see cref="DeadlineCalculator"/>, so its
/// state, dates, current deadline and events are exactly those the app itself would have recorded.
/// Rows come in batches of whole threads, so memory stays flat however many petitions are asked for.
/// </summary>
public sealed class DemoDataGenerator(DeadlineCalculator deadlines, DemoRules rules)
{
    /// <summary>How far back the petitions go.</summary>
    public const int HistoryDays = 730;

    public const string BureauActor = "市信访局";
    public const string SystemActor = "系统";
    public const string PetitionerActor = "信访人";

    public DemoMasterData MasterData(int seed)
    {
        var rng = new Random(seed);
        var units = DemoCity.Units().Select((u, i) => new Unit { Id = i + 1, Name = u.Name, Kind = u.Kind }).ToList();
        var leaders = DemoCity.LeaderTitles()
            .Select((title, i) => new Leader { Id = i + 1, Name = DemoPeople.Name(rng, out _), Title = title })
            .ToList();
        var categories = DomainText.Categories
            .Select((name, i) => new Category { Id = i + 1, Name = name, SortOrder = i + 1, Version = 1, Active = true })
            .ToList();
        return new DemoMasterData(units, leaders, categories);
    }

    /// <summary>
    /// The petitions received from <paramref name="today"/> − <see cref="HistoryDays"/> to yesterday, in batches of at
    /// least <paramref name="batchSize"/> petitions (whole threads; the last batch may be smaller).
    /// </summary>
    public IEnumerable<DemoBatch> Generate(DemoMasterData master, int petitions, int seed, DateOnly today, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(petitions);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var run = new Run(deadlines, rules, master, seed, today);
        var batch = new DemoBatch();
        var generated = 0;
        while (generated < petitions)
        {
            generated += run.Thread(batch, petitions - generated);
            if (batch.Petitions.Count < batchSize) continue;
            yield return batch;
            batch = new DemoBatch();
        }
        if (batch.Petitions.Count > 0) yield return batch;
    }

    /// <summary>The state of one generation run: the random source, the id counters and the people seen recently.</summary>
    private sealed class Run
    {
        private readonly DeadlineCalculator _deadlines;
        private readonly DemoRules _rules;
        private readonly DemoMasterData _master;
        private readonly Random _rng;
        private readonly DateOnly _today;
        /// <summary>Human steps happen up to yesterday, so the data depends on the date only, never on the time of day.</summary>
        private readonly DateOnly _lastDay;
        private readonly DateOnly _firstDay;
        /// <summary>集中交办 batches, oldest first (id = position + 1), each handed to one city leader.</summary>
        private readonly AssignmentBatch[] _batches;
        private readonly Leader[] _batchLeaders;
        private readonly bool[] _batchWritten;
        private readonly Dictionary<string, Unit> _unitsByName;
        private readonly Dictionary<int, Unit> _unitsById;
        private readonly double[] _lateShare;
        private readonly double[] _stallChance;
        private readonly int[] _countyWeights;
        private readonly string[] _categories;
        private readonly int[] _categoryWeights;
        private readonly (Petitioner Person, string Locality, string Category)[] _recent = new (Petitioner, string, string)[4096];
        private int _recentCount;

        private int _nextPetitionerId = 1;
        private int _nextThreadId = 1;
        private int _nextPetitionId = 1;
        private long _nextEventId = 1;
        private int _nextAssignmentId = 1;
        private int _nextProgressId = 1;

        public Run(DeadlineCalculator deadlines, DemoRules rules, DemoMasterData master, int seed, DateOnly today)
        {
            _deadlines = deadlines;
            _rules = rules;
            _master = master;
            _rng = new Random(unchecked(seed * 7919 + 17));
            _today = today;
            _lastDay = today.AddDays(-1);
            _firstDay = today.AddDays(-HistoryDays);
            // 集中交办 batches, oldest first: real rows, so that every batch number a thread or a 包案 carries exists and a
            // batch made in the app gets the next number, not one already on old cases.
            var cityLeaders = master.Leaders.Where(l => !DemoCity.Counties.Any(c => l.Title.StartsWith(c.Name[..^1], StringComparison.Ordinal))).ToList();
            _batches = [.. new[] { 540, 420, 300, 180, 60 }.Select((d, i) =>
            {
                var on = today.AddDays(-d);
                return new AssignmentBatch
                {
                    Id = i + 1, Name = $"{on:yyyy年M月}积案集中交办", CreatedOn = on,
                    CreatedAtUtc = BusinessTime.StartOfDayUtc(on).AddHours(10), CreatedBy = BureauActor,
                };
            })];
            _batchLeaders = [.. _batches.Select(_ => cityLeaders[_rng.Next(cityLeaders.Count)])];
            _batchWritten = new bool[_batches.Length];
            _unitsByName = master.Units.ToDictionary(u => u.Name, StringComparer.Ordinal);
            _unitsById = master.Units.ToDictionary(u => u.Id);
            var maxUnitId = master.Units.Max(u => u.Id);
            _lateShare = new double[maxUnitId + 1];
            _stallChance = new double[maxUnitId + 1];
            foreach (var unit in master.Units)
            {
                // A few units are chronically late: they reply late more often and leave cases lying.
                var slow = _rng.NextDouble() < 0.15;
                _lateShare[unit.Id] = slow ? 0.22 + _rng.NextDouble() * 0.15 : 0.03 + _rng.NextDouble() * 0.05;
                _stallChance[unit.Id] = slow ? 0.02 : 0.002;
            }
            _countyWeights = [.. DemoCity.Counties.Select(c => c.Weight)];
            _categories = [.. DomainText.Categories];
            _categoryWeights = [.. _categories.Select(c => DemoCity.CategoryWeights.GetValueOrDefault(c, 1))];
        }

        /// <summary>Generates one thread (a first petition and its repeats) into the batch; returns its petition count.</summary>
        public int Thread(DemoBatch batch, int remaining)
        {
            var hard = Chance(0.012);
            var repeats = hard ? _rng.Next(2, 7) : Chance(0.085) ? 1 + Geometric(0.5) : 0;
            repeats = Math.Min(repeats, remaining - 1);

            var county = DemoCity.Counties[Weighted(_countyWeights)];
            var category = _categories[Weighted(_categoryWeights)];
            var template = Pick(DemoCity.Demands[category]);
            var demand = Fill(template.Text, county);
            var unit = ResponsibleUnit(county, category);

            var shape = _rng.NextDouble();
            var group = shape < 0.03;
            var joint = !group && shape < 0.07;
            var people = Petitioners(batch, county, category, group || joint ? _rng.Next(2, 4) : 1);
            var names = string.Join('、', people.Select(p => p.Name));

            var dates = new List<DateOnly> { ReceivedDate() };
            for (var k = 0; k < repeats; k++)
            {
                var next = dates[^1].AddDays(hard ? _rng.Next(8, 60) : _rng.Next(12, 100));
                if (next > _lastDay) break;
                dates.Add(next);
            }

            var thread = new PetitionThread
            {
                Id = _nextThreadId++, FirstReceivedOn = dates[0], LastReceivedOn = dates[^1], PetitionCount = dates.Count,
            };
            var backlogChance = hard ? 0.5 : dates.Count > 1 ? 0.06 : 0.002;
            var backlog = Chance(backlogChance);

            var petitions = new List<Petition>(dates.Count);
            var events = new List<PetitionEvent>[dates.Count];
            for (var k = 0; k < dates.Count; k++)
            {
                var repeat = k > 0;
                var (form, count) = FormAndPeople(group, joint, people.Count, repeat);
                var p = new Petition
                {
                    Id = _nextPetitionId++,
                    CaseNumber = "",
                    Form = form,
                    Purpose = template.Purpose,
                    PeopleCount = count,
                    Locality = county.Name,
                    Category = category,
                    Demand = repeat ? RepeatDemand(demand) : demand,
                    UnitId = unit.Id,
                    PetitionerNames = names,
                    ReceivedOn = dates[k],
                    ThreadId = thread.Id,
                    IsRepeat = repeat,
                };
                p.CaseNumber = string.Create(CultureInfo.InvariantCulture, $"LC{p.ReceivedOn:yyyyMMdd}-{p.Id:0000000}");
                Simulate(p, repeat ? petitions[k - 1] : null, county, hard);
                events[k] = p.Events;
                petitions.Add(p);
            }
            thread.FirstPetitionId = petitions[0].Id;

            // Handed down in the first batch at least 30 days after the first petition that finds the thread still open, as
            // 集中交办 only takes open cases; the batch then holds the thread's 包案 (AssignmentService.AssignBatchAsync).
            var batchIndex = backlog
                ? Array.FindIndex(_batches, b => b.CreatedOn >= thread.FirstReceivedOn.AddDays(30) && b.CreatedOn <= _lastDay
                                                 && petitions.Any(p => OpenOn(p, b.CreatedOn)))
                : -1;
            if (batchIndex >= 0)
            {
                thread.BacklogBatchId = _batches[batchIndex].Id;
                if (!_batchWritten[batchIndex]) batch.AssignmentBatches.Add(_batches[batchIndex]);
                _batchWritten[batchIndex] = true;
            }

            var assignment = Assignment(batch, thread, petitions, county, hard, batchIndex);
            var assignedOrBacklog = thread.BacklogBatchId is not null
                || (assignment is not null && AssignmentLifecycle.IsInForce(assignment.Status))
                || (petitions.Any(p => p.IsOpen) && thread.FirstReceivedOn < BacklogOptions.AgedIfReceivedBefore(_today, _rules.BacklogAgeDays));

            batch.Threads.Add(thread);
            var firstEventId = _nextEventId;
            foreach (var p in petitions)
            {
                Supervise(p, assignedOrBacklog);
                Finish(p, batch);
                foreach (var person in people) batch.PetitionPetitioners.Add(new PetitionPetitioner { PetitionId = p.Id, PetitionerId = person.Id });
                batch.Petitions.Add(p);
            }
            if (Instructions(batch, petitions))
            {
                // The thread's events have consecutive ids: number them again so that ids follow time on every petition.
                var id = firstEventId;
                foreach (var p in petitions)
                {
                    p.Events = [.. p.Events.OrderBy(e => e.AtUtc)];
                    foreach (var e in p.Events) e.Id = id++;
                }
            }
            return petitions.Count;
        }

        // ---- 领导批示 (docs/rules.md §12) --------------------------------------------------------------------------------

        private enum InstructionShape { AnsweredOnTime, AnsweredLate, OverdueUnanswered, Waiting, PartlyAnswered, OnThread }

        /// <summary>
        /// A handful of 批示 by the first leader (the demo Leader account's): one of each shape, written so many days ago, each
        /// on the first thread generated that has a case open on that day. No random draw, so the rest of the city is the same
        /// with or without them.
        /// </summary>
        private static readonly (InstructionShape Shape, int DaysAgo, bool Important, string Text)[] InstructionPlans =
        [
            (InstructionShape.AnsweredOnTime, 40, false, "请责任单位会同相关部门核实情况，依法依规答复信访人，按期反馈办理结果。"),
            (InstructionShape.AnsweredLate, 50, false, "请查明拖延原因，督促尽快办理，反馈整改情况。"),
            (InstructionShape.OverdueUnanswered, 30, true, "此事反映多次，请主要负责同志亲自过问，两单位加强协调、避免推诿，限期化解并反馈。"),
            (InstructionShape.Waiting, 3, false, "请认真研究信访人诉求，合理合法的要解决到位，反馈处理意见。"),
            (InstructionShape.PartlyAnswered, 6, true, "请两单位联合核查，十个工作日内反馈处理结果。"),
            (InstructionShape.OnThread, 25, true, "该事项重复信访，请统筹整个事项链化解，防止矛盾升级，反馈化解方案。"),
        ];

        private readonly bool[] _instructionWritten = new bool[InstructionPlans.Length];
        private readonly HashSet<int> _instructedPetitions = [];
        private int _nextInstructionId = 1;
        private int _nextInstructionUnitId = 1;

        /// <summary>True when a 批示 was written on one of these petitions.</summary>
        private bool Instructions(DemoBatch batch, List<Petition> petitions)
        {
            var any = false;
            var leader = _master.Leaders[0];
            var workingDays = new InstructionOptions().ResponseWorkingDays;
            for (var k = 0; k < InstructionPlans.Length; k++)
            {
                if (_instructionWritten[k]) continue;
                var (shape, daysAgo, important, text) = InstructionPlans[k];
                var writtenOn = _today.AddDays(-daysAgo);
                var due = InstructionRules.DefaultDue(_deadlines.Calendar, writtenOn, workingDays);
                // Each shape must hold today whatever holidays stretch the deadline: answered late before yesterday,
                // overdue already, the waiting ones not yet.
                var fits = shape switch
                {
                    InstructionShape.AnsweredOnTime or InstructionShape.OnThread => due < _today,
                    InstructionShape.AnsweredLate => due.AddDays(3) <= _lastDay,
                    InstructionShape.OverdueUnanswered => due < _today && writtenOn.AddDays(5) <= due,
                    _ => due >= _today && writtenOn.AddDays(2) <= _lastDay,
                };
                var onThread = shape == InstructionShape.OnThread;
                // One 批示 per case at most, so each case's timeline reads simply.
                var p = petitions.LastOrDefault(x => OpenOn(x, writtenOn) && !_instructedPetitions.Contains(x.Id));
                if (!fits || p is null || (onThread && petitions.Count < 2)) continue;
                _instructionWritten[k] = true;
                _instructedPetitions.Add(p.Id);
                any = true;

                var units = new List<Unit> { _unitsById[p.UnitId] };
                if (shape is InstructionShape.AnsweredOnTime or InstructionShape.OverdueUnanswered or InstructionShape.PartlyAnswered)
                {
                    var departments = _master.Units.Where(u => u.Kind == UnitKind.CityDepartment && u.Id != p.UnitId).ToList();
                    units.Add(departments[p.Id % departments.Count]);
                }
                // Who answers when: on time, after the deadline, or not at all (the first unit of 超期未反馈 and 部分反馈).
                DateOnly?[] answers = shape switch
                {
                    InstructionShape.AnsweredOnTime => [Min(due, writtenOn.AddDays(3)), Min(due, writtenOn.AddDays(8))],
                    InstructionShape.OnThread => [Min(due, writtenOn.AddDays(6))],
                    InstructionShape.AnsweredLate => [due.AddDays(3)],
                    InstructionShape.OverdueUnanswered => [null, writtenOn.AddDays(5)],
                    InstructionShape.PartlyAnswered => [writtenOn.AddDays(2), null],
                    _ => [null],
                };

                var written = Event(p, PetitionEventKind.Instruction, writtenOn, 600, leader.Name,
                    InstructionTimeline.WrittenDetail(important, onThread, units.OrderBy(u => u.Id).Select(u => u.Name), due), text);
                var instruction = new LeaderInstruction
                {
                    Id = _nextInstructionId++, PetitionId = p.Id, ThreadId = onThread ? p.ThreadId : null, LeaderId = leader.Id, Text = text,
                    WrittenOn = writtenOn, WrittenAtUtc = written.AtUtc, WrittenBy = leader.Name, DueOn = due, Important = important,
                };
                batch.Instructions.Add(instruction);
                for (var u = 0; u < units.Count; u++)
                {
                    var row = new InstructionUnit { Id = _nextInstructionUnitId++, InstructionId = instruction.Id, UnitId = units[u].Id };
                    batch.InstructionUnits.Add(row);
                    if (answers[u] is not { } on) continue;
                    var late = InstructionRules.IsLate(due, on);
                    var response = late ? "已召开协调会，明确责任分工，问题已解决，反馈迟于期限。" : "已约谈信访人，说明政策依据并落实解决措施，信访人表示理解。";
                    var attachment = $"{units[u].Name}关于落实领导批示情况的报告.pdf";
                    var recorded = Event(p, PetitionEventKind.InstructionResponse, on, 900 + u, BureauActor,
                        InstructionTimeline.ResponseDetail(units[u].Name, late, attachment), response);
                    (row.RespondedOn, row.ResponseText, row.AttachmentName, row.RecordedBy, row.RecordedAtUtc) =
                        (on, response, attachment, BureauActor, recorded.AtUtc);
                }
            }

            return any;

            PetitionEvent Event(Petition p, PetitionEventKind kind, DateOnly on, int minute, string actor, string detail, string note)
            {
                // After the petition's own events are stamped: a fixed time of day (never on a whole minute, as those are),
                // so no random draw is taken; the caller numbers the thread's events again.
                var e = new PetitionEvent
                {
                    Id = _nextEventId++, PetitionId = p.Id, Kind = kind, On = on, AtUtc = BusinessTime.StartOfDayUtc(on).AddMinutes(minute).AddSeconds(30),
                    Actor = actor, Detail = detail, Note = note,
                };
                p.Events.Add(e);
                batch.Events.Add(e);
                return e;
            }
        }

        // ---- the lifecycle of one petition -------------------------------------------------------------------------------

        /// <summary>
        /// Walks the petition through its lifecycle with each step's date drawn around its statutory deadline; the walk stops
        /// where the next step would fall after yesterday (the case is still waiting) or when the unit leaves it lying.
        /// </summary>
        private void Simulate(Petition p, Petition? previous, DemoCounty county, bool hard)
        {
            PetitionLifecycle.Register(p, BusinessTime.StartOfDayUtc(p.ReceivedOn), BureauActor, _deadlines);
            var unitName = _unitsById[p.UnitId].Name;
            var late = _lateShare[p.UnitId];
            var stall = _stallChance[p.UnitId] * (_today.DayNumber - p.ReceivedOn.DayNumber > 365 ? 0.25 : 1);

            var decision = FirstDecision(p, previous);
            var on = Step(p.ReceivedOn, _deadlines.FirstDecision(p.ReceivedOn).Due, late, minDays: 0);
            if (Waits(on, stall)) return;
            switch (decision)
            {
                case PetitionState.NotAccepted:
                    Move(p, decision, on, BureauActor, "不属于信访事项受理范围，不予受理");
                    return;
                case PetitionState.NotReaccepted:
                    Move(p, decision, on, BureauActor, "已经复核终结，同一事实和理由不再受理");
                    return;
                case PetitionState.Filed:
                    Move(p, decision, on, BureauActor, previous is null ? "存档备查" : "原信访事项正在办理期限内，存档备查");
                    return;
                case PetitionState.RoutedToLegal:
                    Move(p, decision, on, BureauActor, "属于诉讼、仲裁、行政复议等法定途径解决的事项，导入法定途径");
                    return;
                case PetitionState.Dispatched:
                    Move(p, PetitionState.Dispatched, on, BureauActor, $"{(Chance(0.7) ? "转送" : "交办")}{unitName}");
                    if (Chance(0.015) && !Objection(p, county, ref on, ref unitName, stall)) return;
                    late = _lateShare[p.UnitId];
                    var accepted = Step(on, _deadlines.UnitAcceptance(on).Due, late);
                    if (Waits(accepted, stall)) return;
                    var r = _rng.NextDouble();
                    if (r < 0.03)
                    {
                        Move(p, PetitionState.NotAccepted, accepted, unitName, "不予受理，书面告知信访人");
                        return;
                    }
                    if (r < 0.045)
                    {
                        Move(p, PetitionState.RoutedToLegal, accepted, unitName, "导入法定途径，告知信访人依法申请");
                        return;
                    }
                    on = accepted;
                    break;
            }

            // 受理 → 办理中 → 答复
            p.SimpleProcedure = !p.IsRepeat && !hard && p.Purpose != PetitionPurpose.Accusation && Chance(0.2);
            Move(p, PetitionState.Accepted, on, unitName, p.SimpleProcedure ? "受理（简易办理）" : "受理");
            var handling = on.AddDays(_rng.Next(0, 3));
            if (Waits(handling, stall)) return;
            Move(p, PetitionState.InHandling, handling, unitName, "转入办理");

            var replyDue = _deadlines.Reply(p.AcceptedOn!.Value, 0, p.SimpleProcedure).Due;
            var working = handling; // the last thing that happened while in handling
            if (!p.SimpleProcedure && Chance(hard ? 0.3 : late > 0.2 ? 0.15 : 0.06))
            {
                // An extension is approved before the reply deadline expires.
                var window = replyDue.DayNumber - handling.DayNumber;
                var earliest = Math.Min(5, window);
                var extendedOn = handling.AddDays(_rng.Next(earliest, Math.Max(earliest, window - 1) + 1));
                if (extendedOn <= _lastDay)
                {
                    replyDue = Extend(p, extendedOn, unitName);
                    working = extendedOn;
                }
            }
            if (Chance(0.01))
            {
                var routed = working.AddDays(_rng.Next(3, 30));
                if (routed <= _lastDay) Move(p, PetitionState.RoutedToLegal, routed, unitName, "办理中发现属于法定途径解决的事项，导入法定途径");
                return;
            }
            var replied = Step(working, replyDue, late);
            if (Waits(replied, stall)) return;
            p.ReplyResult = PickReplyResult(hard);
            Move(p, PetitionState.Replied, replied, unitName, $"出具信访处理意见书：{p.ReplyResult.Value.ToChinese()}");

            if (Chance(0.8))
            {
                var evaluatedOn = replied.AddDays(_rng.Next(0, 21));
                if (evaluatedOn <= _lastDay) Evaluate(p, evaluatedOn);
            }

            // 复查 / 复核, or 办结 once the review window passes.
            var reviewWindow = _deadlines.ReviewRequest(replied).Due;
            var reviewChance = (p.Evaluation == Evaluation.Dissatisfied ? 0.25 : 0.03) + (hard ? 0.2 : 0);
            if (Chance(reviewChance))
            {
                var requested = replied.AddDays(_rng.Next(3, Math.Max(4, reviewWindow.DayNumber - replied.DayNumber + 1)));
                if (requested > _lastDay) return;
                Move(p, PetitionState.UnderReview, requested, "市信访局复查办", "信访人申请复查，予以受理");
                var decided = Step(requested, _deadlines.ReviewDecision(requested).Due, late);
                if (Waits(decided, stall)) return;
                Move(p, PetitionState.Reviewed, decided, "市信访局复查办", Chance(0.85) ? "复查决定：维持原处理意见" : "复查决定：变更原处理意见");
                var recheckWindow = _deadlines.RecheckRequest(decided).Due;
                if (Chance(0.35))
                {
                    var recheck = decided.AddDays(_rng.Next(3, Math.Max(4, recheckWindow.DayNumber - decided.DayNumber + 1)));
                    if (recheck > _lastDay) return;
                    Move(p, PetitionState.UnderRecheck, recheck, "市信访局复核办", "信访人申请复核，予以受理");
                    var terminated = Step(recheck, _deadlines.RecheckDecision(recheck).Due, late);
                    if (Waits(terminated, stall)) return;
                    Move(p, PetitionState.Terminated, terminated, "市信访局复核办", "复核决定：维持复查意见，信访事项终结");
                    return;
                }
                var closedAfterReview = recheckWindow.AddDays(1);
                if (closedAfterReview <= _lastDay) Move(p, PetitionState.Closed, closedAfterReview, SystemActor, "复核申请期限届满未申请，办结");
                return;
            }
            var closed = reviewWindow.AddDays(1);
            if (closed <= _lastDay) Move(p, PetitionState.Closed, closed, SystemActor, "复查申请期限届满未申请，办结");
        }

        /// <summary>The unit objects within its window and the bureau dispatches again to the county; false when the case now waits.</summary>
        private bool Objection(Petition p, DemoCounty county, ref DateOnly on, ref string unitName, double stall)
        {
            var window = _deadlines.Objection(on);
            var back = on.AddDays(_rng.Next(1, Math.Max(2, window.Due.DayNumber - on.DayNumber + 1)));
            if (back > _lastDay) return false;
            Move(p, PetitionState.Registered, back, unitName, "异议退回：非本单位职责范围");
            var other = _unitsByName[county.Name];
            if (other.Id == p.UnitId) other = _unitsByName[Pick(DemoCity.Departments)];
            p.UnitId = other.Id;
            unitName = other.Name;
            var again = back.AddDays(_rng.Next(0, 3));
            if (Waits(again, stall)) return false;
            Move(p, PetitionState.Dispatched, again, BureauActor, $"重新交办{unitName}");
            on = again;
            return true;
        }

        private PetitionState FirstDecision(Petition p, Petition? previous)
        {
            if (previous is { State: PetitionState.Terminated, FinishedOn: { } ended } && ended <= p.ReceivedOn)
                return PetitionState.NotReaccepted;
            if (previous is not null && StillInWindow(previous, p.ReceivedOn) && Chance(0.6)) return PetitionState.Filed;
            var r = _rng.NextDouble();
            var legal = p.Category == "政法" ? 0.12 : 0.02;
            if (r < legal) return PetitionState.RoutedToLegal;
            if (r < legal + 0.04) return PetitionState.NotAccepted;
            if (r < legal + 0.055) return PetitionState.Filed;
            // The rest: the bureau dispatches, except where the unit registered the petition itself and accepts it.
            return r < legal + 0.175 ? PetitionState.Accepted : PetitionState.Dispatched;
        }

        /// <summary>The earlier petition was not yet answered or finished when the repeat came in.</summary>
        private static bool StillInWindow(Petition previous, DateOnly on) =>
            (previous.RepliedOn is null || previous.RepliedOn > on) && (previous.FinishedOn is null || previous.FinishedOn > on);

        private DateOnly Extend(Petition p, DateOnly on, string unitName)
        {
            p.ExtensionDays = _rng.Next(1, _deadlines.Options.MaxExtensionDays + 1);
            p.ExtensionReason = Pick(DemoCity.ExtensionReasons);
            p.ExtensionApprover = $"{DemoPeople.Name(_rng, out _)}（{unitName}{Pick(DemoCity.ApproverTitles)}）";
            var due = _deadlines.Current(p)!.Due;
            p.CurrentDueDate = due;
            p.Events.Add(new PetitionEvent
            {
                PetitionId = p.Id, Kind = PetitionEventKind.Extension, On = on, Actor = unitName,
                Detail = $"延期 {p.ExtensionDays} 日，答复期限延至 {due:yyyy-MM-dd}", Note = $"{p.ExtensionReason}；批准人：{p.ExtensionApprover}",
            });
            return due;
        }

        private void Evaluate(Petition p, DateOnly on)
        {
            var r = _rng.NextDouble();
            var (satisfied, basic) = p.ReplyResult switch
            {
                ReplyResult.Supported => (0.8, 0.95),
                ReplyResult.Explained => (0.55, 0.85),
                _ => (0.25, 0.6),
            };
            p.Evaluation = r < satisfied ? Evaluation.Satisfied : r < basic ? Evaluation.BasicallySatisfied : Evaluation.Dissatisfied;
            p.EvaluatedOn = on;
            p.Events.Add(new PetitionEvent
            {
                PetitionId = p.Id, Kind = PetitionEventKind.Evaluation, On = on, Actor = PetitionerActor,
                Detail = p.Evaluation.Value.ToChinese(),
            });
        }

        private ReplyResult PickReplyResult(bool hard)
        {
            var r = _rng.NextDouble();
            return r < (hard ? 0.2 : 0.35) ? ReplyResult.Supported : r < 0.8 ? ReplyResult.Explained : ReplyResult.NotSupported;
        }

        private void Move(Petition p, PetitionState to, DateOnly on, string actor, string note) =>
            PetitionLifecycle.Transition(p, to, on, BusinessTime.StartOfDayUtc(on), actor, note, _deadlines);

        /// <summary>
        /// The date of the next step: within the window up to its due date, or — for the unit's late share — after it.
        /// </summary>
        private DateOnly Step(DateOnly from, DateOnly due, double lateShare, int minDays = 1)
        {
            if (Chance(lateShare)) return due.AddDays(_rng.Next(1, 31));
            var window = Math.Max(minDays, due.DayNumber - from.DayNumber);
            return from.AddDays(_rng.Next(minDays, window + 1));
        }

        /// <summary>The case waits where it is: its next step is not due until after yesterday, or the unit lets it lie.</summary>
        private bool Waits(DateOnly next, double stallChance) => next > _lastDay || Chance(stallChance);

        // ---- supervision, assignment, finishing -------------------------------------------------------------------------

        /// <summary>
        /// The 督办 level the daily recompute derives today, and one event for each level it passed through, on the day it was
        /// reached (docs/rules.md §5); overdue cases also got reminders.
        /// </summary>
        private void Supervise(Petition p, bool assignedOrBacklog)
        {
            if (!p.IsOpen || p.CurrentDueDate is not { } due) return;
            var warnDays = _deadlines.Options.WarnDays;
            p.Supervision = SupervisionRule.Derive(true, due, _today, assignedOrBacklog, warnDays, _rules.ListedAfterDays);
            var since = p.Events.Max(e => e.On);
            var level = SupervisionLevel.None;
            var steps = new List<(SupervisionLevel Level, DateOnly From)> { (SupervisionLevel.Urge, due.AddDays(-warnDays)) };
            if (!assignedOrBacklog) steps.Add((SupervisionLevel.Supervise, due.AddDays(1)));
            steps.Add((SupervisionLevel.Listed, assignedOrBacklog ? due.AddDays(1) : due.AddDays(_rules.ListedAfterDays + 1)));
            foreach (var (next, from) in steps)
            {
                if (next > p.Supervision) break;
                var on = from > since ? from : since;
                p.Events.Add(new PetitionEvent
                {
                    PetitionId = p.Id, Kind = PetitionEventKind.SupervisionChanged, On = on, Actor = SystemActor,
                    Detail = $"{level.ToChinese()} → {next.ToChinese()}", Note = "每日自动计算",
                });
                level = next;
            }
            if (p.Supervision < SupervisionLevel.Supervise) return;
            for (var reminder = due.AddDays(1); reminder <= _lastDay && p.RemindersSent < 3; reminder = reminder.AddDays(7))
            {
                if (reminder < since) continue;
                p.RemindersSent++;
                p.Events.Add(new PetitionEvent
                {
                    PetitionId = p.Id, Kind = PetitionEventKind.Reminder, On = reminder, Actor = BureauActor,
                    Detail = $"第 {p.RemindersSent} 次催办", Note = "已超过办理期限，请尽快办理并反馈",
                });
            }
        }

        private LeaderAssignment? Assignment(
            DemoBatch batch, PetitionThread thread, List<Petition> petitions, DemoCounty county, bool hard, int batchIndex)
        {
            var inBatch = batchIndex >= 0;
            if (!inBatch && !Chance(hard ? 0.65 : petitions.Count > 1 ? 0.03 : 0.001)) return null;
            var basis = petitions.Count > 1 ? petitions[1] : petitions[0];
            var assignedOn = inBatch ? _batches[batchIndex].CreatedOn : Min(basis.ReceivedOn.AddDays(_rng.Next(1, 15)), _lastDay);
            var leader = inBatch ? _batchLeaders[batchIndex] : PickLeader(county);
            var unit = _unitsById[petitions[0].UnitId];
            var extension = Chance(0.1) ? _rng.Next(1, _deadlines.Options.AssignmentMaxExtensionDays + 1) : 0;
            var due = _deadlines.Assignment(assignedOn, extension).Due;
            var a = new LeaderAssignment
            {
                Id = _nextAssignmentId++,
                ThreadId = thread.Id,
                LeaderId = leader.Id,
                LeadUnitId = unit.Id,
                CoUnits = Chance(0.4) ? string.Join('、', DemoCity.Departments.Where(d => d != unit.Name).OrderBy(_ => _rng.Next()).Take(_rng.Next(1, 3))) : null,
                ResponsiblePerson = $"{DemoPeople.Name(_rng, out _)}（{unit.Name}{Pick(DemoCity.OfficerTitles)}）",
                StabilityPerson = $"{DemoPeople.Name(_rng, out _)}（{Pick(county.Townships)}党委副书记）",
                Plan = Pick(DemoCity.PlanTemplates)
                    .Replace("{leader}", leader.Title + leader.Name)
                    .Replace("{unit}", unit.Name)
                    .Replace("{days}", _deadlines.Options.AssignmentDays.ToString(CultureInfo.InvariantCulture)),
                AssignedOn = assignedOn,
                DueOn = due,
                ExtensionDays = extension,
                BatchId = inBatch ? _batches[batchIndex].Id : null,
            };
            var allFinished = petitions.All(p => PetitionLifecycle.IsFinished(p.State));
            Petition? relapsedBy = null;
            if (assignedOn.AddDays(20) <= _lastDay && Chance(allFinished ? 0.85 : 0.35))
            {
                var span = due.DayNumber - assignedOn.DayNumber + 25;
                var resolvedOn = Min(assignedOn.AddDays(_rng.Next(20, span)), _lastDay);
                AssignmentLifecycle.Resolve(a, Pick(DemoCity.ResolutionResults), resolvedOn, BureauActor, []);
                // 再访原领导包 (§6): a repeat received after 息诉罢访 reopens the 包案 on its day, as registration does.
                relapsedBy = petitions.FirstOrDefault(p => p.ReceivedOn > resolvedOn);
                if (relapsedBy is not null) AssignmentLifecycle.Relapse(a, relapsedBy.ReceivedOn);
            }
            var until = a.Status == AssignmentStatus.Resolved ? a.ResolvedOn!.Value : _lastDay;
            // A relapse writes a progress line of its own; the 2–4 lines of a 包案 include it.
            var lines = Enumerable.Range(0, _rng.Next(2, relapsedBy is null ? 5 : 4))
                .Select(_ => (On: assignedOn.AddDays(_rng.Next(0, until.DayNumber - assignedOn.DayNumber + 1)),
                    Action: Pick(DemoCity.ProgressActions), Actor: Chance(0.5) ? leader.Name : unit.Name))
                .ToList();
            if (relapsedBy is not null)
            {
                lines.Add((relapsedBy.ReceivedOn,
                    $"反弹：化解后再访，新增重复件 {relapsedBy.CaseNumber}（{AssignmentStatus.Resolved.ToChinese()} → {AssignmentStatus.Relapsed.ToChinese()}）",
                    BureauActor));
                relapsedBy.Events.Add(new PetitionEvent
                {
                    PetitionId = relapsedBy.Id, Kind = PetitionEventKind.AssignmentChanged, On = relapsedBy.ReceivedOn, Actor = BureauActor,
                    Detail = $"包案{AssignmentStatus.Resolved.ToChinese()} → {AssignmentStatus.Relapsed.ToChinese()}，再访原领导包：{leader.Name}（{leader.Title}）",
                });
            }
            foreach (var line in lines.OrderBy(l => l.On))
            {
                a.Progress.Add(new AssignmentProgress
                {
                    Id = _nextProgressId++, AssignmentId = a.Id, On = line.On, Action = line.Action, Actor = line.Actor,
                });
            }
            batch.Assignments.Add(a);
            batch.Progress.AddRange(a.Progress);

            var marked = petitions.Last(p => p.ReceivedOn <= assignedOn);
            marked.Events.Add(new PetitionEvent
            {
                PetitionId = marked.Id, Kind = PetitionEventKind.AssignmentChanged, On = assignedOn, Actor = BureauActor,
                Detail = $"领导包案：{leader.Name}（{leader.Title}）", Note = $"包案化解期限 {due:yyyy-MM-dd}",
            });
            return a;
        }

        /// <summary>Open on <paramref name="day"/>: received by then and in an open state after that day's transitions.</summary>
        private static bool OpenOn(Petition p, DateOnly day)
        {
            if (p.ReceivedOn > day) return false;
            var state = p.Events.Where(e => e.Kind == PetitionEventKind.Transition && e.On <= day).Last().ToState!.Value;
            return PetitionLifecycle.IsOpen(state);
        }

        /// <summary>City leaders own most cases; the rest go to the county's own leaders.</summary>
        private Leader PickLeader(DemoCounty county)
        {
            var countyIndex = DemoCity.Counties.ToList().IndexOf(county);
            var countyLeaders = _master.Leaders.Where(l => l.Title.StartsWith(county.Name[..^1], StringComparison.Ordinal)).ToList();
            if (countyLeaders.Count > 0 && Chance(0.3)) return countyLeaders[_rng.Next(countyLeaders.Count)];
            var cityLeaders = _master.Leaders.Where(l => !DemoCity.Counties.Any(c => l.Title.StartsWith(c.Name[..^1], StringComparison.Ordinal))).ToList();
            return cityLeaders[(countyIndex + _rng.Next(cityLeaders.Count)) % cityLeaders.Count];
        }

        /// <summary>Orders the events by date (stable: transitions keep their order), stamps their times and ids.</summary>
        private void Finish(Petition p, DemoBatch batch)
        {
            var ordered = p.Events.OrderBy(e => e.On).ToList();
            for (var i = 0; i < ordered.Count;)
            {
                var day = ordered[i].On;
                var end = i;
                while (end < ordered.Count && ordered[end].On == day) end++;
                var start = BusinessTime.StartOfDayUtc(day);
                for (var k = i; k < end; k++)
                {
                    var e = ordered[k];
                    var fraction = (k - i + _rng.NextDouble()) / (end - i);
                    // People work 08:30–17:30 (up to yesterday); the daily recompute runs in the first seconds of the day.
                    e.AtUtc = day >= _today
                        ? start.AddSeconds(k - i + 1)
                        : start.AddMinutes(510 + Math.Floor(540 * fraction));
                    e.Id = _nextEventId++;
                }
                i = end;
            }
            p.Events = ordered;
            p.RegisteredAtUtc = ordered[0].AtUtc;
            batch.Events.AddRange(ordered);
        }

        // ---- places, people, forms ---------------------------------------------------------------------------------------

        private Unit ResponsibleUnit(DemoCounty county, string category)
        {
            var r = _rng.NextDouble();
            if (DemoCity.DepartmentsByCategory.TryGetValue(category, out var departments) && r < 0.45)
                return _unitsByName[Pick(departments)];
            if (r > 0.94)
            {
                var township = DemoCity.TownshipUnits.FirstOrDefault(t => t.County == county.Name);
                if (township.Township is not null) return _unitsByName[township.County + township.Township];
            }
            return _unitsByName[county.Name];
        }

        private List<Petitioner> Petitioners(DemoBatch batch, DemoCounty county, string category, int count)
        {
            var people = new List<Petitioner>(count);
            if (count == 1 && _recentCount > 0 && Chance(0.03))
            {
                // Someone who petitioned before, now about another matter (a different locality or category).
                var (person, locality, earlierCategory) = _recent[_rng.Next(Math.Min(_recentCount, _recent.Length))];
                if (locality != county.Name || earlierCategory != category)
                {
                    people.Add(person);
                    return people;
                }
            }
            for (var i = 0; i < count; i++)
            {
                var id = _nextPetitionerId++;
                var name = DemoPeople.Name(_rng, out var male);
                var hasId = Chance(0.88);
                var phone = !hasId || Chance(0.95) ? DemoPeople.Phone(_rng) : null;
                var idNumber = hasId ? DemoPeople.IdNumber(county.AreaCode, id, male) : null;
                var person = new Petitioner
                {
                    Id = id,
                    Name = name,
                    IdNumber = idNumber,
                    Phone = phone,
                    Address = $"{county.Name}{Pick(county.Townships)}{Pick(DemoCity.Villages)}",
                    IdentityKey = PetitionerIdentity.Key(name, idNumber, phone)!,
                };
                people.Add(person);
                batch.Petitioners.Add(person);
                _recent[_recentCount++ % _recent.Length] = (person, county.Name, category);
            }
            return people;
        }

        private (PetitionForm Form, int People) FormAndPeople(bool group, bool joint, int petitioners, bool repeat)
        {
            if (group && (!repeat || Chance(0.6)))
                return (PetitionForm.Visit, _rng.Next(_rules.GroupSize, _rules.GroupSize + 56));
            if (joint)
            {
                var form = Chance(0.5) ? PetitionForm.Letter : Chance(0.7) ? PetitionForm.Online : PetitionForm.Visit;
                var people = form == PetitionForm.Visit ? petitioners : _rng.Next(petitioners, petitioners + 8);
                return (form, Math.Min(people, form == PetitionForm.Visit ? _rules.GroupSize - 1 : people));
            }
            var r = _rng.Next(100);
            var single = r < 45 ? PetitionForm.Online : r < 67 ? PetitionForm.Visit : r < 85 ? PetitionForm.Letter
                : r < 93 ? PetitionForm.Phone : r < 99 ? PetitionForm.LeaderMailbox : PetitionForm.Fax;
            return (single, group ? petitioners : 1);
        }

        private string Fill(string text, DemoCounty county)
        {
            var amount = _rng.Next(2, 400) * 1000;
            var amountText = amount >= 10_000
                ? (amount / 10_000m).ToString("0.#", CultureInfo.InvariantCulture) + "万"
                : amount.ToString(CultureInfo.InvariantCulture);
            return text
                .Replace("{county}", county.Name)
                .Replace("{town}", Pick(county.Townships))
                .Replace("{village}", Pick(DemoCity.Villages))
                .Replace("{road}", county.Name + Pick(DemoCity.Roads))
                .Replace("{compound}", Pick(DemoCity.Compounds))
                .Replace("{company}", Pick(DemoCity.Companies))
                .Replace("{school}", Pick(DemoCity.Schools))
                .Replace("{hospital}", Pick(DemoCity.Hospitals))
                .Replace("{amount}", amountText)
                .Replace("{years}", _rng.Next(1, 8).ToString(CultureInfo.InvariantCulture))
                .Replace("{n}", _rng.Next(3, 60).ToString(CultureInfo.InvariantCulture));
        }

        /// <summary>The same matter said again: the first demand with a few words before and after.</summary>
        private string RepeatDemand(string first)
        {
            var (prefix, suffix) = Pick(DemoCity.RepeatWordings);
            return prefix + first + suffix;
        }

        /// <summary>A working day is three times as likely as a weekend day to receive a petition.</summary>
        private DateOnly ReceivedDate()
        {
            while (true)
            {
                var d = _firstDay.AddDays(_rng.Next(0, HistoryDays));
                if (_deadlines.Calendar.IsWorkingDay(d) || Chance(0.33)) return d;
            }
        }

        // ---- random helpers ----------------------------------------------------------------------------------------------

        private bool Chance(double p) => _rng.NextDouble() < p;

        private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

        private int Geometric(double p)
        {
            var n = 0;
            while (n < 6 && Chance(p)) n++;
            return n;
        }

        private int Weighted(int[] weights)
        {
            var r = _rng.Next(weights.Sum());
            for (var i = 0; i < weights.Length; i++)
            {
                if (r < weights[i]) return i;
                r -= weights[i];
            }
            return weights.Length - 1;
        }

        private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
    }
}
