namespace PetitionDashboard.Domain;

/// <summary>
/// The figures of docs/rules.md §8 for one ISO week and one unit (<see cref="UnitId"/> null: all units), as computed at
/// <see cref="AsOfUtc"/>. Only counts are stored; every rate is a ratio of two of them (<see cref="Rate"/>).
/// A published week is frozen: no recompute touches its rows again.
/// </summary>
public partial class WeeklyUnitStatistic
{
    public long Id { get; set; }
    public int WeekYear { get; set; }
    public int WeekNumber { get; set; }
    /// <summary>The week's Monday (Shanghai date); the key the rows are looked up by.</summary>
    public DateOnly WeekMonday { get; set; }
    public int? UnitId { get; set; }
    public Unit? Unit { get; set; }

    public int NewPetitions { get; set; }
    public int FirstPetitions { get; set; }
    public int RepeatPetitions { get; set; }
    public int GroupVisitBatches { get; set; }
    public int GroupVisitPeople { get; set; }
    public int FirstDecisionDue { get; set; }
    public int FirstDecisionOnTime { get; set; }
    public int ReplyDue { get; set; }
    public int RepliedOnTime { get; set; }
    public int RepliedInWeek { get; set; }
    public int Evaluated { get; set; }
    public int Satisfied { get; set; }
    public int Open { get; set; }
    public int Overdue { get; set; }
    public int Assignments { get; set; }
    public int AssignmentsResolved { get; set; }
    public int BacklogThreads { get; set; }
    public int BacklogResolved { get; set; }

    public DateTime AsOfUtc { get; set; }
    public bool Published { get; set; }
    public DateTime? PublishedAtUtc { get; set; }
    public string? PublishedBy { get; set; }

    public IsoWeek Week => new(WeekYear, WeekNumber);

    public int this[StatisticMeasure measure]
    {
        get => measure switch
        {
            StatisticMeasure.NewPetitions => NewPetitions,
            StatisticMeasure.FirstPetitions => FirstPetitions,
            StatisticMeasure.RepeatPetitions => RepeatPetitions,
            StatisticMeasure.GroupVisitBatches => GroupVisitBatches,
            StatisticMeasure.GroupVisitPeople => GroupVisitPeople,
            StatisticMeasure.FirstDecisionDue => FirstDecisionDue,
            StatisticMeasure.FirstDecisionOnTime => FirstDecisionOnTime,
            StatisticMeasure.ReplyDue => ReplyDue,
            StatisticMeasure.RepliedOnTime => RepliedOnTime,
            StatisticMeasure.RepliedInWeek => RepliedInWeek,
            StatisticMeasure.Evaluated => Evaluated,
            StatisticMeasure.Satisfied => Satisfied,
            StatisticMeasure.Open => Open,
            StatisticMeasure.Overdue => Overdue,
            StatisticMeasure.Assignments => Assignments,
            StatisticMeasure.AssignmentsResolved => AssignmentsResolved,
            StatisticMeasure.BacklogThreads => BacklogThreads,
            StatisticMeasure.BacklogResolved => BacklogResolved,
            _ => throw new ArgumentOutOfRangeException(nameof(measure)),
        };
        set
        {
            switch (measure)
            {
                case StatisticMeasure.NewPetitions: NewPetitions = value; break;
                case StatisticMeasure.FirstPetitions: FirstPetitions = value; break;
                case StatisticMeasure.RepeatPetitions: RepeatPetitions = value; break;
                case StatisticMeasure.GroupVisitBatches: GroupVisitBatches = value; break;
                case StatisticMeasure.GroupVisitPeople: GroupVisitPeople = value; break;
                case StatisticMeasure.FirstDecisionDue: FirstDecisionDue = value; break;
                case StatisticMeasure.FirstDecisionOnTime: FirstDecisionOnTime = value; break;
                case StatisticMeasure.ReplyDue: ReplyDue = value; break;
                case StatisticMeasure.RepliedOnTime: RepliedOnTime = value; break;
                case StatisticMeasure.RepliedInWeek: RepliedInWeek = value; break;
                case StatisticMeasure.Evaluated: Evaluated = value; break;
                case StatisticMeasure.Satisfied: Satisfied = value; break;
                case StatisticMeasure.Open: Open = value; break;
                case StatisticMeasure.Overdue: Overdue = value; break;
                case StatisticMeasure.Assignments: Assignments = value; break;
                case StatisticMeasure.AssignmentsResolved: AssignmentsResolved = value; break;
                case StatisticMeasure.BacklogThreads: BacklogThreads = value; break;
                case StatisticMeasure.BacklogResolved: BacklogResolved = value; break;
                default: throw new ArgumentOutOfRangeException(nameof(measure));
            }
        }
    }

    /// <summary>The value of a figure: its count, or its rate (null when the denominator is zero).</summary>
    public double? Value(StatisticFigure figure)
    {
        var f = StatisticFigures.Of(figure);
        return f.Denominator is { } d ? Kpi.Rate(this[f.Numerator], this[d]) : this[f.Numerator];
    }

    public double? Rate(StatisticFigure figure) => Value(figure);
}
