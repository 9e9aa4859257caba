// Only the Element Plus components the app uses, with their styles (a component's children,
// such as ElRadioButton and ElRadioGroup, are installed by its parent, here ElRadio): the start-up bundle is
// parsed on every launch, so the whole library (about 1 MB of script and 370 kB of CSS) is not.
import type { App } from "vue";
import {
  ElAlert,
  ElBadge,
  ElButton,
  ElCard,
  ElCheckbox,
  ElCol,
  ElConfigProvider,
  ElDatePicker,
  ElDialog,
  ElEmpty,
  ElForm,
  ElFormItem,
  ElInput,
  ElInputNumber,
  ElLoading,
  ElOption,
  ElPagination,
  ElPopover,
  ElProgress,
  ElRadio,
  ElRadioButton,
  ElRadioGroup,
  ElRow,
  ElSelect,
  ElTable,
  ElTableColumn,
  ElTag,
} from "element-plus";
import "element-plus/theme-chalk/base.css";
import "element-plus/theme-chalk/el-var.css";
import "element-plus/theme-chalk/el-icon.css";
import "element-plus/theme-chalk/el-popper.css";
import "element-plus/theme-chalk/el-scrollbar.css";
import "element-plus/theme-chalk/el-overlay.css";
import "element-plus/theme-chalk/el-alert.css";
import "element-plus/theme-chalk/el-badge.css";
import "element-plus/theme-chalk/el-button.css";
import "element-plus/theme-chalk/el-card.css";
import "element-plus/theme-chalk/el-checkbox.css";
import "element-plus/theme-chalk/el-col.css";
import "element-plus/theme-chalk/el-config-provider.css";
import "element-plus/theme-chalk/el-date-picker.css";
import "element-plus/theme-chalk/el-date-picker-panel.css";
import "element-plus/theme-chalk/el-dialog.css";
import "element-plus/theme-chalk/el-empty.css";
import "element-plus/theme-chalk/el-form.css";
import "element-plus/theme-chalk/el-form-item.css";
import "element-plus/theme-chalk/el-input.css";
import "element-plus/theme-chalk/el-input-number.css";
import "element-plus/theme-chalk/el-loading.css";
import "element-plus/theme-chalk/el-message.css";
import "element-plus/theme-chalk/el-message-box.css";
import "element-plus/theme-chalk/el-option.css";
import "element-plus/theme-chalk/el-pagination.css";
import "element-plus/theme-chalk/el-popover.css";
import "element-plus/theme-chalk/el-progress.css";
import "element-plus/theme-chalk/el-radio.css";
import "element-plus/theme-chalk/el-radio-button.css";
import "element-plus/theme-chalk/el-radio-group.css";
import "element-plus/theme-chalk/el-row.css";
import "element-plus/theme-chalk/el-select.css";
import "element-plus/theme-chalk/el-table.css";
import "element-plus/theme-chalk/el-table-column.css";
import "element-plus/theme-chalk/el-tag.css";
import "element-plus/theme-chalk/el-tooltip.css";

const COMPONENTS = [
  ElAlert, ElBadge, ElButton, ElCard, ElCheckbox, ElCol, ElConfigProvider, ElDatePicker, ElDialog, ElEmpty,
  ElForm, ElFormItem, ElInput, ElInputNumber, ElOption, ElPagination, ElPopover, ElProgress, ElRadio, ElRadioButton,
  ElRadioGroup, ElRow, ElSelect, ElTable, ElTableColumn, ElTag,
];

export function useElement(app: App) {
  for (const c of COMPONENTS) app.use(c);
  app.use(ElLoading);
}
