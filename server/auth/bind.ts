// Safe defaults for listening: demo mode (auto-logged-in read-only leader)
// only on a loopback address; any other address needs accounts.

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::ffff:127.0.0.1';
}

export interface BindCheck {
  host: string;
  demo: boolean;
  activeAccounts: number;
}

/** Null when the server may start, else the reason in Chinese and English. */
export function bindProblem(c: BindCheck): string | null {
  if (isLoopback(c.host)) return null;
  if (c.demo) {
    return (
      `拒绝启动：绑定非本机地址 ${c.host} 时不能使用演示模式（演示模式免登录，任何能访问本机的人都能看到数据）。` +
      `请去掉 --demo / SANSHE_DEMO=1，使用账号登录；首次运行会创建 admin 账号并打印一次性密码。` +
      ` (refusing to start: demo mode is only allowed on 127.0.0.1; binding ${c.host} requires accounts)`
    );
  }
  if (c.activeAccounts === 0) {
    return (
      `拒绝启动：绑定非本机地址 ${c.host} 需要至少一个启用的账号，当前没有。请用 \`sanshe user add\` 创建账号。` +
      ` (refusing to start: binding ${c.host} requires at least one enabled account)`
    );
  }
  return null;
}
