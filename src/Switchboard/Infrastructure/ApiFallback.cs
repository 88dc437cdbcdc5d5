using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;

namespace Switchboard.Infrastructure;

/// <summary>
/// What an <c>/api/</c> request that no endpoint took gets: <c>405</c> with an <c>Allow</c> header when
/// routes exist for the path but none takes the method, otherwise <c>404</c>.
/// </summary>
// ASP.NET Core answers 405 by itself only when no endpoint at all matches a path, and the catch-all
// fallback matches every /api/ path, so it would answer 404 for a wrong method too. The fallback
// therefore works out the path's methods itself, the way the router would (patterns and constraints).
public static class ApiFallback
{
    private static readonly string[] MethodOrder = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    public static IEndpointConventionBuilder MapApiFallback(this IEndpointRouteBuilder app)
    {
        var routes = new Lazy<ApiRoute[]>(() => ApiRoute.All(
            app.ServiceProvider.GetRequiredService<EndpointDataSource>(),
            app.ServiceProvider.GetRequiredService<ParameterPolicyFactory>()));
        return app.MapFallback("/api/{**path}", (HttpContext http) => Answer(http, routes.Value))
            .ExcludeFromDescription();
    }

    private static IResult Answer(HttpContext http, ApiRoute[] routes)
    {
        var allowed = routes.Where(r => r.Matches(http)).SelectMany(r => r.Methods)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderBy(m => Array.IndexOf(MethodOrder, m) is var i and >= 0 ? i : MethodOrder.Length)
            .ToList();
        if (allowed.Count == 0)
        {
            return Problems.NotFound("No such API endpoint.");
        }
        http.Response.Headers.Allow = string.Join(", ", allowed);
        return TypedResults.Problem($"Method \"{http.Request.Method}\" not allowed.",
            statusCode: StatusCodes.Status405MethodNotAllowed, title: "Method Not Allowed");
    }

    private sealed class ApiRoute(TemplateMatcher matcher, (string Name, bool Optional, IRouteConstraint Constraint)[] constraints, IReadOnlyList<string> methods)
    {
        public IReadOnlyList<string> Methods => methods;

        public static ApiRoute[] All(EndpointDataSource source, ParameterPolicyFactory policies) =>
            [.. source.Endpoints.OfType<RouteEndpoint>()
                .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) == true
                    && e.Metadata.GetMetadata<IHttpMethodMetadata>() is { HttpMethods.Count: > 0 })
                .Select(e => Create(e, policies))];

        private static ApiRoute Create(RouteEndpoint endpoint, ParameterPolicyFactory policies)
        {
            var pattern = endpoint.RoutePattern;
            var constraints = new List<(string, bool, IRouteConstraint)>();
            foreach (var (name, references) in pattern.ParameterPolicies)
            {
                var parameter = pattern.GetParameter(name);
                foreach (var reference in references)
                {
                    if (policies.Create(parameter, reference) is IRouteConstraint constraint)
                    {
                        constraints.Add((name, parameter?.IsOptional == true, constraint));
                    }
                }
            }
            return new ApiRoute(new TemplateMatcher(new RouteTemplate(pattern), new RouteValueDictionary(pattern.Defaults)),
                [.. constraints], endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods);
        }

        public bool Matches(HttpContext http)
        {
            var values = new RouteValueDictionary();
            if (!matcher.TryMatch(http.Request.Path, values))
            {
                return false;
            }
            foreach (var (name, optional, constraint) in constraints)
            {
                if (optional && values.GetValueOrDefault(name) is null)
                {
                    continue;
                }
                if (!constraint.Match(http, null, name, values, RouteDirection.IncomingRequest))
                {
                    return false;
                }
            }
            return true;
        }
    }
}
