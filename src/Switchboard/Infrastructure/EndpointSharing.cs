using Microsoft.Extensions.Primitives;

namespace Switchboard.Infrastructure;

// Minimal API data sources build their endpoints (a request delegate compiled per handler) every
// time their Endpoints are read, and ASP.NET Core reads them twice at start: once for the
// authorization policy cache (the global EndpointDataSource) and once more for the routing
// matcher on the first request. That was about a third of the start-up (docs/decisions/
// 1410-start-up-profile.md). Each data source is wrapped so both readers get the same endpoints,
// built once; a data source that signals a change is read again.
public static class EndpointSharing
{
    /// <summary>Call after every endpoint is mapped and before the app starts.</summary>
    public static void ShareEndpoints(this WebApplication app)
    {
        var sources = ((IEndpointRouteBuilder)app).DataSources;
        var shared = sources.Select(s => s is SharedEndpointDataSource ? s : new SharedEndpointDataSource(s)).ToList();
        sources.Clear();
        foreach (var source in shared)
        {
            sources.Add(source);
        }
    }

    private sealed class SharedEndpointDataSource(EndpointDataSource inner) : EndpointDataSource
    {
        private readonly Lock _gate = new();
        private IReadOnlyList<Endpoint>? _endpoints;

        public override IReadOnlyList<Endpoint> Endpoints
        {
            get
            {
                if (Volatile.Read(ref _endpoints) is { } built)
                {
                    return built;
                }
                lock (_gate)
                {
                    if (_endpoints is null)
                    {
                        // Take the token before reading, so a change during the read is not missed.
                        var token = inner.GetChangeToken();
                        var endpoints = inner.Endpoints;
                        if (!token.HasChanged)
                        {
                            Volatile.Write(ref _endpoints, endpoints);
                            token.RegisterChangeCallback(static state => ((SharedEndpointDataSource)state!).Forget(), this);
                        }
                        return endpoints;
                    }
                    return _endpoints;
                }
            }
        }

        private void Forget()
        {
            lock (_gate)
            {
                _endpoints = null;
            }
        }

        public override IChangeToken GetChangeToken() => inner.GetChangeToken();

        public override IReadOnlyList<Endpoint> GetGroupedEndpoints(RouteGroupContext context) => inner.GetGroupedEndpoints(context);
    }
}
