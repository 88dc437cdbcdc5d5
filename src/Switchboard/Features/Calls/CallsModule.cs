using Switchboard.Realtime;

namespace Switchboard.Features.Calls;

public static class CallsModule
{
    public static IServiceCollection AddCalls(this IServiceCollection services)
    {
        services.AddScoped<CallService>();
        services.AddSingleton<ISocketFrameHandler, CallSignalling>();
        services.AddSingleton<CallSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<CallSweeper>());
        return services;
    }

    public static IEndpointRouteBuilder MapCallsFeature(this IEndpointRouteBuilder routes)
    {
        routes.MapCalls();
        return routes;
    }
}
