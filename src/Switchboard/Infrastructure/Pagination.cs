using System.ComponentModel;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Switchboard.Infrastructure;

public sealed record Page<T>(int Count, string? Next, string? Previous, IReadOnlyList<T> Results);

/// <summary>DRF-style page-number pagination: ?page= and ?page_size= (default 50, max 200).</summary>
public readonly record struct PageRequest(int Page, int PageSize)
{
    public const int DefaultSize = 50;
    public const int MaxSize = 200;

    public int Skip => (Page - 1) * PageSize;

    /// <summary>Reads ?page and ?page_size; a bad page_size falls back to the default as DRF does, a bad page is an error.</summary>
    public static bool TryParse(PageQuery query, out PageRequest page, out string? error)
    {
        error = null;
        var pageNumber = 1;
        var pageText = query.Page ?? "";
        if (pageText.Length > 0 && (!int.TryParse(pageText, out pageNumber) || pageNumber < 1))
        {
            if (pageText != "last")
            {
                page = default;
                error = "Invalid page.";
                return false;
            }
            pageNumber = int.MaxValue;
        }
        var size = DefaultSize;
        var sizeText = query.PageSize ?? "";
        if (sizeText.Length > 0 && int.TryParse(sizeText, out var parsed) && parsed > 0)
        {
            size = Math.Min(parsed, MaxSize);
        }
        page = new PageRequest(pageNumber, size);
        return true;
    }
}

// Bound with [AsParameters], so the OpenAPI document lists them. Text, not int: a page that is
// not a number answers 404 "Invalid page." and a bad page_size falls back to the default (as DRF
// does), where binding an int would answer a bare 400 instead.
public sealed class PageQuery
{
    [FromQuery(Name = "page"), Description("The page number, from 1, or `last`. A page past the end answers 404.")]
    public string? Page { get; init; }

    [FromQuery(Name = "page_size"), Description("Items per page, default 50, at most 200.")]
    public string? PageSize { get; init; }
}

public static class Paging
{
    /// <summary>
    /// Runs the count and the page query and builds absolute next/previous links.
    /// Returns null when the page number is past the end (the caller answers 404 "Invalid page.").
    /// </summary>
    public static async Task<Page<TOut>?> ToPageAsync<TIn, TOut>(this IQueryable<TIn> query, HttpRequest request, PageRequest page,
        Func<List<TIn>, IReadOnlyList<TOut>> map, CancellationToken ct)
    {
        var count = await query.CountAsync(ct);
        return await PageAsync(request, page, count,
            async (skip, take) => map(await query.Skip(skip).Take(take).ToListAsync(ct)));
    }

    /// <summary>
    /// The page of <paramref name="page"/> for a result of <paramref name="count"/> items, with its
    /// links; <paramref name="load"/> reads the items given how many to skip and take. Null when the
    /// page number is past the end.
    /// </summary>
    public static async Task<Page<T>?> PageAsync<T>(HttpRequest request, PageRequest page, int count,
        Func<int, int, Task<IReadOnlyList<T>>> load)
    {
        var lastPage = Math.Max(1, (count + page.PageSize - 1) / page.PageSize);
        var number = page.Page == int.MaxValue ? lastPage : page.Page;
        if (number > lastPage)
        {
            return null;
        }
        var items = await load((number - 1) * page.PageSize, page.PageSize);
        return new Page<T>(count,
            number < lastPage ? Link(request, number + 1) : null,
            number > 1 ? Link(request, number - 1) : null,
            items);
    }

    public static string Link(HttpRequest request, int page)
    {
        var query = request.Query.Where(q => q.Key != "page").ToDictionary(q => q.Key, q => q.Value);
        if (page > 1)
        {
            query["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return LinkWith(request, query);
    }

    public static string LinkWith(HttpRequest request, IDictionary<string, Microsoft.Extensions.Primitives.StringValues> query)
    {
        var builder = new QueryBuilder();
        foreach (var (key, values) in query)
        {
            foreach (var value in values)
            {
                builder.Add(key, value ?? "");
            }
        }
        var path = request.PathBase.Add(request.Path).Value ?? "/";
        if (!path.EndsWith('/'))
        {
            path += "/";
        }
        return $"{request.Scheme}://{request.Host}{path}{builder.ToQueryString()}";
    }
}
