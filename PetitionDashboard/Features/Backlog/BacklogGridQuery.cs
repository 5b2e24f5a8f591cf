using System.Collections.Concurrent;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Backlog;

/// <summary>
/// The grid's COUNT and page as compiled queries (<see cref="EF.CompileAsyncQuery{TContext, TParam1, TResult}(Expression{Func{TContext, TParam1, TResult}})"/>),
/// one pair per filter shape and sort, built on first use and kept. A LINQ query pays EF's pipeline on every call
/// (parameter extraction and the query cache's hash and compare of the whole tree: at 1M ≈ 0.2 ms for the COUNT, 0.35 ms
/// for the page, as much as the SQL of the small pages); a compiled query skips both. The predicate is
/// <see cref="BacklogQuery"/>'s, built from the shape with the values as the query's <see cref="BacklogArgs"/> parameter;
/// the sort and the row are <see cref="BacklogService"/>'s. Free text with few candidates (SQLite) is compiled too,
/// over their ids read first (<see cref="BacklogArgs.Candidates"/>); with many it stays LINQ, the candidates a subquery.
/// </summary>
internal static class BacklogGridQuery
{
    public sealed record Compiled(
        Func<AppDbContext, BacklogArgs, CancellationToken, Task<int>> Count,
        Func<AppDbContext, BacklogArgs, IAsyncEnumerable<BacklogRow>> Page);

    /// <summary>
    /// A filter shape (<see cref="BacklogQuery.ShapeOf"/>), the sort, and the context's model: EF binds a compiled query
    /// to the EF services of the first context that runs it, so contexts of another configuration (another provider,
    /// other interceptors: one per process in the app, several in the tests) get their own.
    /// </summary>
    /// <param name="TextExact">Free text only: whether the candidates are exactly the rows holding the text (no exact test).</param>
    /// <param name="Probe">Free text only: the page walks the sort's index and probes the candidates (many matches).</param>
    private sealed record Key(Type Context, object Model, BacklogFilter Shape, BacklogSort Sort, bool TextExact, bool Probe);

    // 14 optional filters × scope × sorts: far more shapes than anyone uses; a bound, not an eviction policy.
    private static readonly ConcurrentDictionary<Key, Compiled> Kept = new();
    private const int ShapesKept = 2_000;

    /// <summary>Whether the filter has a compiled form without candidates read first: every filter but free text.</summary>
    public static bool Covers(BacklogFilter filter) => string.IsNullOrWhiteSpace(filter.Text);

    /// <param name="textExact">Free text: whether its candidates (in the args) are exactly the rows holding the text.</param>
    /// <param name="probe">Free text: the page probes the candidates while walking the sort's index (the COUNT never does).</param>
    public static Compiled For(AppDbContext db, BacklogFilter filter, BacklogSort sort, bool textExact = false, bool probe = false)
    {
        var key = new Key(db.GetType(), db.Model, BacklogQuery.ShapeOf(filter), sort, !Covers(filter) && textExact, !Covers(filter) && probe);
        if (Kept.TryGetValue(key, out var compiled)) return compiled;
        if (Kept.Count >= ShapesKept) Kept.Clear();
        return Kept.GetOrAdd(key, k => Compile(k.Shape, k.Sort, k.TextExact, k.Probe));
    }

    internal static int ShapesCompiled => Kept.Count;

    // EF's compiled queries take scalar parameters only ("member accesses on instances are not supported": args.UnitId
    // is left untranslated), so each value the predicate reads from the args becomes a parameter of its own.
    private static readonly string[] FilterValues =
    [
        nameof(BacklogArgs.DueFrom), nameof(BacklogArgs.DueTo), nameof(BacklogArgs.AgeFrom), nameof(BacklogArgs.AgeTo), nameof(BacklogArgs.UnitId),
        nameof(BacklogArgs.Category), nameof(BacklogArgs.Form), nameof(BacklogArgs.Supervision), nameof(BacklogArgs.ReceivedFrom), nameof(BacklogArgs.ReceivedTo),
    ];

    // Free text adds the text (the exact test) and the candidates' ids.
    private static readonly string[] TextValues = [.. FilterValues, nameof(BacklogArgs.Text), nameof(BacklogArgs.Candidates)];

    private static Compiled Compile(BacklogFilter shape, BacklogSort sort, bool textExact, bool probe)
    {
        var filterValues = Covers(shape) ? FilterValues : TextValues;
        string[] pageValues = [.. filterValues, nameof(BacklogArgs.Skip), nameof(BacklogArgs.Take)];
        var db = Expression.Parameter(typeof(AppDbContext), "db");
        var args = Expression.Parameter(typeof(BacklogArgs), "args");
        Expression petitions = Expression.Call(typeof(EntityFrameworkQueryableExtensions), nameof(EntityFrameworkQueryableExtensions.AsNoTracking),
            [typeof(Petition)], Expression.Property(db, nameof(AppDbContext.Petitions)));
        Expression Filtered(bool probeCandidates) => Expression.Call(typeof(Queryable), nameof(Queryable.Where), [typeof(Petition)],
            petitions, Expression.Quote(BacklogQuery.Predicate(shape, db, args, textExact, probeCandidates)));
        // EF compiles on first run: a probing shape's COUNT (the plain one's twin) is never compiled.
        var count = Expression.Call(typeof(Queryable), nameof(Queryable.Count), [typeof(Petition)], Filtered(false));
        var filtered = Filtered(probe);

        // The sort and the row as the LINQ path writes them, applied to the filtered tree without running anything.
        var rows = BacklogService.Project(BacklogService.Sort(new EnumerableQuery<Petition>(filtered), sort, shape.Scope),
            Expression.Property(db, nameof(AppDbContext.LeaderAssignments))).Expression;
        rows = Expression.Call(typeof(Queryable), nameof(Queryable.Skip), [typeof(BacklogRow)], rows, Expression.Property(args, nameof(BacklogArgs.Skip)));
        rows = Expression.Call(typeof(Queryable), nameof(Queryable.Take), [typeof(BacklogRow)], rows, Expression.Property(args, nameof(BacklogArgs.Take)));

        return new Compiled(
            CompileAsync<Func<AppDbContext, BacklogArgs, CancellationToken, Task<int>>>(count, db, args, filterValues, withToken: true),
            CompileAsync<Func<AppDbContext, BacklogArgs, IAsyncEnumerable<BacklogRow>>>(rows, db, args, pageValues, withToken: false));
    }

    /// <summary>
    /// Compiles <paramref name="body"/> over the context and one scalar parameter per named member of the args, and wraps
    /// the delegate EF returns into one that takes the args object.
    /// </summary>
    private static TDelegate CompileAsync<TDelegate>(Expression body, ParameterExpression db, ParameterExpression args, string[] members, bool withToken)
        where TDelegate : Delegate
    {
        var values = members.Select(m => Expression.Parameter(typeof(BacklogArgs).GetProperty(m)!.PropertyType, m)).ToList();
        body = new ArgsToParameters(args, values.ToDictionary(v => v.Name!)).Visit(body);
        var ct = Expression.Parameter(typeof(CancellationToken), "ct");
        // A scalar query's token is EF's convention: a last parameter the body does not read.
        List<ParameterExpression> parameters = [db, .. values, .. withToken ? new[] { ct } : []];
        var resultType = withToken ? body.Type : body.Type.GetGenericArguments()[0];
        var lambda = Expression.Lambda(Expression.GetFuncType([.. parameters.Select(p => p.Type), body.Type]), body, parameters);
        Type[] typeArgs = [typeof(AppDbContext), .. values.Select(v => v.Type), resultType];
        var compile = typeof(EF).GetMethods()
            .Where(m => m.Name == nameof(EF.CompileAsyncQuery) && m.GetGenericArguments().Length == typeArgs.Length)
            .Select(m => { try { return m.MakeGenericMethod(typeArgs); } catch (ArgumentException) { return null; } })
            .Single(m => m?.GetParameters()[0].ParameterType == typeof(Expression<>).MakeGenericType(lambda.Type))!;
        var compiled = (Delegate)compile.Invoke(null, [lambda])!;

        var outerDb = Expression.Parameter(typeof(AppDbContext), "db");
        var outerArgs = Expression.Parameter(typeof(BacklogArgs), "args");
        var outerCt = Expression.Parameter(typeof(CancellationToken), "ct");
        List<Expression> call = [outerDb, .. members.Select(m => Expression.Property(outerArgs, m)), .. withToken ? new[] { outerCt } : []];
        List<ParameterExpression> outer = [outerDb, outerArgs, .. withToken ? new[] { outerCt } : []];
        return Expression.Lambda<TDelegate>(Expression.Invoke(Expression.Constant(compiled), call), outer).Compile();
    }

    private sealed class ArgsToParameters(ParameterExpression args, Dictionary<string, ParameterExpression> values) : ExpressionVisitor
    {
        protected override Expression VisitMember(MemberExpression node) =>
            node.Expression == args ? values[node.Member.Name] : base.VisitMember(node);

        protected override Expression VisitParameter(ParameterExpression node) =>
            node == args ? throw new InvalidOperationException("the args are read by member only") : node;
    }
}
