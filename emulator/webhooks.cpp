// Webhook delivery: not emulated yet.
namespace emu {
void webhooks_init() {}
}  // namespace emu
