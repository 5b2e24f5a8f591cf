using System.Linq.Expressions;

namespace PetitionDashboard.Domain;

/// <summary>
/// A rule's set of values as an EF filter of constant comparisons (<c>x.P == v1 || x.P == v2 …</c>) rather than
/// <c>values.Contains(x.P)</c>: EF 10 sends such an array as one parameter per element and then cannot cache the
/// statement's SQL (regenerated on every call: ≈ 11 % of a small backlog page at 1M), and SQLite uses a partial index
/// whose filter is <c>P IN (1, 3)</c> only when the query names the same constants.
/// </summary>
public static class ConstantSets
{
    public static Expression<Func<T, bool>> OneOf<T, TValue>(string property, IEnumerable<TValue> values)
    {
        var x = Expression.Parameter(typeof(T), "x");
        var member = Expression.Property(x, property);
        Expression body = values.Select(v => (Expression)Expression.Equal(member, Expression.Constant(v))).Aggregate(Expression.OrElse);
        return Expression.Lambda<Func<T, bool>>(body, x);
    }
}
