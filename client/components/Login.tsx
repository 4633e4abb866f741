// Sign-in for actions that need an account (import); reads use the session
// the server gives (demo mode or a logged-in user).
import { useState } from 'react';
import { api, type Session } from '../lib/api.ts';
import { useT } from '../lib/i18n.ts';

export function Login({ onDone, session }: { onDone: (csrf: string) => void; session: Session | null }) {
  const { lang } = useT();
  const [u, setU] = useState('');
  const [p, setP] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const zh = lang === 'zh';
  return (
    <form
      className="panel stack"
      style={{ maxWidth: 420 }}
      aria-labelledby="login-h"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setErr(null);
        try {
          const r = await api.login(u, p, session?.csrf_token ?? null);
          onDone(r.csrf_token);
        } catch (x) {
          setErr(x instanceof Error ? x.message : String(x));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 id="login-h">{zh ? '登录后导入数据' : 'Sign in to import'}</h2>
      {session?.user ? (
        <div className="notice warn">
          {zh ? `当前账号「${session.user.username}」（${session.user.role_zh}）无导入权限。` : `Account ${session.user.username} (${session.user.role}) may not import.`}
        </div>
      ) : null}
      <label className="stack" style={{ gap: 4 }}>
        <span>{zh ? '用户名' : 'Username'}</span>
        <input type="text" id="login-user" autoComplete="username" value={u} onChange={(e) => setU(e.target.value)} required />
      </label>
      <label className="stack" style={{ gap: 4 }}>
        <span>{zh ? '密码' : 'Password'}</span>
        <input type="password" id="login-pass" autoComplete="current-password" value={p} onChange={(e) => setP(e.target.value)} required style={{ font: 'inherit', padding: '5px 8px', border: '1px solid #cfd5de', borderRadius: 6 }} />
      </label>
      {err ? (
        <div className="notice bad" role="alert">
          ⚠ {err}
        </div>
      ) : null}
      <div>
        <button type="submit" className="btn primary" disabled={busy} id="login-submit">
          {zh ? '登录' : 'Sign in'}
        </button>
      </div>
      <p className="muted small" id="login-help">
        {zh ? '没有账号？请管理员在服务器上创建：' : 'No account? An administrator creates one on the server: '}
        <code className="code">npm run --silent sanshe -- user add {zh ? '用户名' : 'NAME'} --role staff</code>
        {zh
          ? '（staff 可导入数据）。首次以账号模式启动时，服务器会打印一次性的 admin 密码。'
          : ' (staff may import). The first start with accounts prints a one-time admin password.'}
      </p>
    </form>
  );
}
