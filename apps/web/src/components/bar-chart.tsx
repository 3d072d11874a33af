// A horizontal bar chart in plain SVG, with the same figures as a table for screen readers.
import { useId } from 'react';
import { useI18n } from '../i18n/i18n';

export interface Bar {
  label: string;
  value: number;
  tone?: 'ok' | 'warning' | 'danger' | 'neutral';
}

export function BarChart({ title, data, limit }: { title: string; data: Bar[]; limit?: number }) {
  const { t } = useI18n();
  const id = useId();
  const max = Math.max(1, limit ?? 0, ...data.map((d) => d.value));
  const rowHeight = 30;
  const labelWidth = 190;
  const width = 560;
  const barSpace = width - labelWidth - 50;
  const height = Math.max(rowHeight, data.length * rowHeight) + 8;
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${id}-title`}
        preserveAspectRatio="xMinYMin meet"
      >
        {data.map((d, i) => {
          const y = i * rowHeight + 4;
          const w = (d.value / max) * barSpace;
          return (
            <g key={d.label} transform={`translate(0 ${y})`}>
              <text
                x={labelWidth - 8}
                y={rowHeight / 2}
                textAnchor="end"
                dominantBaseline="middle"
                className="chart-label"
              >
                {d.label}
              </text>
              <rect
                x={labelWidth}
                y={4}
                width={Math.max(w, d.value > 0 ? 2 : 0)}
                height={rowHeight - 10}
                rx={3}
                className={`bar bar-${d.tone ?? 'neutral'}`}
              />
              <text x={labelWidth + w + 6} y={rowHeight / 2} dominantBaseline="middle" className="chart-value">
                {d.value}
              </text>
            </g>
          );
        })}
        {limit !== undefined && (
          <line
            x1={labelWidth + (limit / max) * barSpace}
            x2={labelWidth + (limit / max) * barSpace}
            y1={0}
            y2={height}
            className="chart-limit"
          />
        )}
      </svg>
      <details>
        <summary>{t('reports.table')}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{title}</th>
              <th scope="col">{t('reports.count')}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((d) => (
              <tr key={d.label}>
                <th scope="row">{d.label}</th>
                <td className="number">{d.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
