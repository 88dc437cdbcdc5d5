using System.Linq.Expressions;
using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using Switchboard.Data;
using Switchboard.Infrastructure;

namespace Switchboard.Features.Tickets;

/// <summary>
/// The list's query string: filters and ordering, validated (an unknown value is a 400 naming the
/// parameter, never silently ignored). Ordering defaults to <c>-created_at</c>; every ordering ends
/// with the id in the same direction as the first key, so pages never overlap or skip.
/// </summary>
internal static class TicketQuery
{
    public const string DefaultOrdering = "-created_at";
    private const int SearchMax = 200;

    public static IQueryable<Ticket>? Apply(IQueryable<Ticket> tickets, AppDbContext db, TicketListQuery query, int me, FieldErrors errors)
    {
        if (Single(query.Project) is { } projectText)
        {
            if (int.TryParse(projectText, out var projectId) && projectId > 0)
            {
                tickets = tickets.Where(t => t.ProjectId == projectId);
            }
            else
            {
                errors.Add("project", "A valid project id is required.");
            }
        }

        var statuses = Choices<TicketStatus>(query.Status, "status", TicketEnums.TryParseStatus, TicketEnums.Statuses, errors);
        if (statuses is { Count: 1 })
        {
            var status = statuses[0];
            tickets = tickets.Where(t => t.Status == status);
        }
        else if (statuses is { Count: > 1 })
        {
            tickets = tickets.Where(t => statuses.Contains(t.Status));
        }
        var priorities = Choices<TicketPriority>(query.Priority, "priority", TicketEnums.TryParsePriority, TicketEnums.Priorities, errors);
        if (priorities is { Count: > 0 })
        {
            tickets = tickets.Where(t => priorities.Contains(t.Priority));
        }
        var types = Choices<TicketType>(query.Type, "type", TicketEnums.TryParseType, TicketEnums.Types, errors);
        if (types is { Count: > 0 })
        {
            tickets = tickets.Where(t => types.Contains(t.Type));
        }

        if (Single(query.Assignee) is { } assignee)
        {
            if (assignee == "none")
            {
                tickets = tickets.Where(t => t.AssigneeId == null);
            }
            else if (UserId(assignee, me) is { } assigneeId)
            {
                tickets = tickets.Where(t => t.AssigneeId == assigneeId);
            }
            else
            {
                errors.Add("assignee", "Use a user id, \"me\" or \"none\".");
            }
        }
        if (Single(query.Reporter) is { } reporter)
        {
            if (UserId(reporter, me) is { } reporterId)
            {
                tickets = tickets.Where(t => t.ReporterId == reporterId);
            }
            else
            {
                errors.Add("reporter", "Use a user id or \"me\".");
            }
        }
        if (Single(query.Label) is { } label)
        {
            var normalized = TicketLabel.Normalize(label.Trim());
            tickets = tickets.Where(t => t.Labels.Any(l => l.Normalized == normalized));
        }
        if (Single(query.Search) is { } search)
        {
            tickets = TicketSearch.Apply(tickets, db, search.Length > SearchMax ? search[..SearchMax] : search);
        }

        var ordering = Single(query.Ordering) ?? DefaultOrdering;
        var ordered = Order(tickets, ordering);
        if (ordered is null)
        {
            errors.Add("ordering", "Order by created_at, updated_at, priority, due_date or number, each with an optional '-'.");
        }
        return errors.Any ? null : ordered;
    }

    /// <summary>A parameter given once; blank counts as absent, as in DRF's filters.</summary>
    private static string? Single(string? text)
    {
        var value = (text ?? "").Trim();
        return value.Length == 0 ? null : value;
    }

    private static int? UserId(string text, int me) =>
        text == "me" ? me : int.TryParse(text, out var id) && id > 0 ? id : null;

    private delegate bool Parser<T>(string? text, out T value);

    /// <summary>Repeated (?status=open&amp;status=closed) or comma-separated (?status=open,closed).</summary>
    private static List<T>? Choices<T>(string[]? raw, string name, Parser<T> parse, string[] names, FieldErrors errors)
    {
        raw ??= [];
        var values = new List<T>();
        foreach (var part in raw.SelectMany(v => (v ?? "").Split(',')).Select(p => p.Trim()).Where(p => p.Length > 0))
        {
            if (!parse(part, out var value))
            {
                var shown = part.Length > 40 ? part[..40] + "…" : part;
                errors.Add(name, $"\"{shown}\" is not a valid choice. Choose {TicketEnums.Choices(names)}.");
                return null;
            }
            if (!values.Contains(value))
            {
                values.Add(value);
            }
        }
        return values;
    }

    private static IQueryable<Ticket>? Order(IQueryable<Ticket> tickets, string ordering)
    {
        IOrderedQueryable<Ticket>? ordered = null;
        var firstDescending = false;
        var fields = ordering.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is 0 or > 5)
        {
            return null;
        }
        foreach (var field in fields)
        {
            var descending = field.StartsWith('-');
            var name = descending ? field[1..] : field;
            if (ordered is null)
            {
                firstDescending = descending;
            }
            switch (name)
            {
                case "created_at": ordered = By(tickets, ordered, t => t.CreatedAt, descending); break;
                case "updated_at": ordered = By(tickets, ordered, t => t.UpdatedAt, descending); break;
                case "priority": ordered = By(tickets, ordered, t => t.Priority, descending); break;
                case "number": ordered = By(tickets, ordered, t => t.Number, descending); break;
                case "due_date":
                    // Tickets without a due date come last in both directions, on both databases.
                    ordered = By(tickets, ordered, t => t.DueDate == null, false);
                    ordered = By(tickets, ordered, t => t.DueDate, descending);
                    break;
                default: return null;
            }
        }
        return By(tickets, ordered, t => t.Id, firstDescending);
    }

    private static IOrderedQueryable<Ticket> By<TKey>(IQueryable<Ticket> source, IOrderedQueryable<Ticket>? ordered,
        Expression<Func<Ticket, TKey>> key, bool descending) =>
        ordered is null
            ? descending ? source.OrderByDescending(key) : source.OrderBy(key)
            : descending ? ordered.ThenByDescending(key) : ordered.ThenBy(key);
}

// The list's query string, bound with [AsParameters] so that the OpenAPI document lists it. Text,
// not numbers or enums: Apply answers a bad value with a problem naming the parameter, where
// binding would answer a bare 400.
public sealed class TicketListQuery
{
    [FromQuery(Name = "project"), Description("Only tickets of this project (an id, one of the caller's).")]
    public string? Project { get; init; }

    [FromQuery(Name = "status"), Description("Only these statuses (open, in_progress, resolved, closed): repeat the parameter or separate values with commas.")]
    public string[]? Status { get; init; }

    [FromQuery(Name = "priority"), Description("Only these priorities (low, medium, high, urgent): repeat the parameter or separate values with commas.")]
    public string[]? Priority { get; init; }

    [FromQuery(Name = "type"), Description("Only these types (task, bug, feature, question): repeat the parameter or separate values with commas.")]
    public string[]? Type { get; init; }

    [FromQuery(Name = "assignee"), Description("A user id, `me`, or `none` for unassigned tickets.")]
    public string? Assignee { get; init; }

    [FromQuery(Name = "reporter"), Description("A user id or `me`.")]
    public string? Reporter { get; init; }

    [FromQuery(Name = "label"), Description("Only tickets carrying this label (case-insensitive).")]
    public string? Label { get; init; }

    [FromQuery(Name = "search"), Description("Words to find in the title and description, or a ticket key such as SUP-42.")]
    public string? Search { get; init; }

    [FromQuery(Name = "ordering"), Description("Comma-separated fields among created_at, updated_at, priority, due_date and number, each with an optional leading `-` for descending. Default `-created_at`.")]
    public string? Ordering { get; init; }
}
